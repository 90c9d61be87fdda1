r"""How :func:`~workbench.rs.critical_diversity` scans N for the first switch (spec §5).

The spec asks to check monotonicity in N rather than assume it. :class:`LogGrid` (the default)
evaluates the outcome on a whole log grid of N, which both finds the first local-to-reward-seeking
switch and checks that it is the only one on the grid. :class:`Ladder` evaluates ``1, r, r^2, ...``
and stops at the first reward-seeking rung: it finds a switch with far fewer simulations (one
when ``N* = 1``) but checks nothing, and the result says so (``monotone=None``).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from workbench._errors import WorkbenchError

#: Most points a :class:`LogGrid` may hold (each is one simulation per configuration).
MAX_GRID_POINTS = 100_000


class Scan(ABC):
    """Where :func:`~workbench.rs.critical_diversity` looks for the first switch in N.

    Drivers read :attr:`checks_monotonicity` and :meth:`points`: a scan that checks evaluates
    every point and reports whether the outcome switched exactly once; one that does not may
    stop at the first reward-seeking point.
    """

    checks_monotonicity: ClassVar[bool]

    @abstractmethod
    def points(self, n_max: float) -> np.ndarray:
        """The values of N to evaluate, increasing from 1 to ``n_max``."""


@dataclass(frozen=True)
class LogGrid(Scan):
    """A log grid of ``points`` values of N in ``[1, n_max]``; every point is evaluated, and the
    result reports whether the outcome switched exactly once (local to reward-seeking) on it.

    Examples
    --------
    >>> LogGrid(5).points(1e4).tolist()
    [1.0, 10.0, 100.0, 1000.0, 10000.0]
    """

    size: int = 97
    checks_monotonicity: ClassVar[bool] = True

    def __post_init__(self):
        if isinstance(self.size, bool) or not isinstance(self.size, (int, np.integer)) or not 3 <= self.size <= MAX_GRID_POINTS:
            raise WorkbenchError(f"LogGrid: size must be a whole number from 3 to {MAX_GRID_POINTS:,}, got {self.size!r}")

    def points(self, n_max: float) -> np.ndarray:
        return np.logspace(0.0, math.log10(n_max), int(self.size))


@dataclass(frozen=True)
class Ladder(Scan):
    """The rungs ``1, ratio, ratio**2, ...`` up to ``n_max`` (the last rung is ``n_max``); the
    search stops at the first reward-seeking rung and does not check monotonicity.

    This is how a plain script brackets N* (a x10 ladder, then a root finder); it costs one
    simulation when ``N* = 1`` and about ``log_ratio N*`` otherwise. Where the outcome is not
    monotone in N it can miss a reward-seeking window that lies between two rungs and report no
    N* at all (with a cost above the saturation eps, a window around N = 46 can fall between the
    rungs 10 and 100); :class:`LogGrid` would list its switches.

    Examples
    --------
    >>> Ladder().points(1e3).tolist()
    [1.0, 10.0, 100.0, 1000.0]
    >>> Ladder(ratio=4).points(50).tolist()
    [1.0, 4.0, 16.0, 50.0]
    """

    ratio: float = 10.0
    checks_monotonicity: ClassVar[bool] = False

    def __post_init__(self):
        if isinstance(self.ratio, bool) or not isinstance(self.ratio, (int, float, np.floating, np.integer)) \
                or not (math.isfinite(self.ratio) and 1.01 <= self.ratio <= 1e9):
            raise WorkbenchError(f"Ladder: ratio must be a finite number from 1.01 to 1e9, got {self.ratio!r}")

    def points(self, n_max: float) -> np.ndarray:
        pts, k = [1.0], 1
        while pts[-1] < n_max:
            # past n_max (tested in logs, so that ratio**k never overflows) the last rung is n_max
            pts.append(min(float(self.ratio) ** k, n_max) if k * math.log(self.ratio) < math.log(n_max) else float(n_max))
            k += 1
        return np.array(pts)
