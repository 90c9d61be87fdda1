"""The Axes convention of the ``plot_*`` functions: draw on ``ax`` or a new figure, return it.

Every plot function of :mod:`workbench.rs` and :mod:`workbench.power` takes ``ax=None``: given
an Axes it draws there, otherwise on the single Axes of a new :func:`matplotlib.pyplot.subplots`
figure of the plot's usual size. It returns the Axes it drew on and never saves; the caller
saves ``ax.figure`` if it wants a file. :func:`figure_of` recovers the figure from whatever a
drawing returned (an Axes, an array of Axes or a Figure).
"""

from __future__ import annotations


def axes_or_new(ax, figsize):
    """``ax`` itself, or the Axes of a new pyplot figure of ``figsize`` inches.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = axes_or_new(None, (4, 3))
    >>> ax.figure.get_size_inches().tolist()
    [4.0, 3.0]
    >>> axes_or_new(ax, (9, 9)) is ax
    True
    >>> plt.close(ax.figure)
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1]


def figure_of(drawn):
    """The :class:`~matplotlib.figure.Figure` behind ``drawn``: a Figure, an Axes, or a
    (possibly nested) sequence or array of Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = plt.subplots(1, 2)
    >>> figure_of(axes) is fig and figure_of(axes[0]) is fig and figure_of(fig) is fig
    True
    >>> plt.close(fig)
    """
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    if isinstance(drawn, Figure):
        return drawn
    if isinstance(drawn, (Axes, SubFigure)):
        return figure_of(drawn.figure)
    import numpy as np

    items = np.asarray(drawn, dtype=object).ravel() if not isinstance(drawn, (str, bytes)) else ()
    if len(items) == 0 or items[0] is drawn:
        raise TypeError(f"expected a matplotlib Figure or Axes (or an array of Axes), got {type(drawn).__name__}")
    return figure_of(items[0])
