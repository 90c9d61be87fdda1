"""The plotting convention: every plot function takes ``ax=None``, draws there, returns the Axes,
and saves nothing (saving is the caller's: the command line and ``workbench verify``)."""

import inspect
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pytest

import workbench.power as power
import workbench.rs as rs
from workbench.claims import CheckContext

PLOTS = [(ns, name) for ns in (rs, power) for name in ns._FIGURES]


@pytest.mark.parametrize("ns,name", PLOTS, ids=[name for _, name in PLOTS])
def test_every_plot_takes_ax_and_no_path(ns, name):
    params = inspect.signature(getattr(ns, name)).parameters
    assert "ax" in params and params["ax"].default is None and params["ax"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "path" not in params and "fig" not in params


def test_plots_draw_on_the_given_axes(tmp_path):
    m = power.shipped_mdp("wait")
    vote = power.orbit_vote(m, "start", ["candy"], ["wait"], [1, 2, 3, 4, 5])
    before = set(plt.get_fignums())
    fig, axes = plt.subplots(2, 2)
    try:
        drawn = [
            power.plot_orbit_bars([{"label": "x", "vote": vote, "bound": Fraction(2, 3)}], ax=axes[0, 0]),
            power.plot_involutions(m, "start", ["candy"], ["wait"], ax=axes[0, 1]),
            power.plot_fractional_family([{"n": 2, "m": 1, "worst_weak_fraction": "2/3", "proven_bound": "2/3"}], ax=axes[1, 0]),
            rs.plot_skill_sweep(rs.HomogeneousConfig(p0=0.1), np.linspace(-1, 1, 3), np.linspace(-1, 1, 3), ax=axes[1, 1]),
        ]
        assert drawn == list(axes.ravel())
        assert set(plt.get_fignums()) - before == {fig.number}  # nothing else was opened
        assert list(tmp_path.iterdir()) == []
    finally:
        plt.close(fig)


def test_check_context_saves_and_closes_only_with_an_output_directory(tmp_path):
    calls = []

    def draw():
        calls.append(1)
        return plt.subplots(1, 2)[1]  # an array of Axes is fine too

    before = set(plt.get_fignums())
    assert CheckContext().figure("a.png", draw) == () and calls == []
    assert CheckContext(tmp_path).figure("a.svg", draw) == ("figures/a.svg",)
    assert (tmp_path / "figures" / "a.svg").read_text().startswith("<?xml") and set(plt.get_fignums()) == before


def test_check_context_closes_the_figure_of_a_failed_drawing(tmp_path):
    def draw():
        plt.subplots()
        raise RuntimeError("drawing failed")

    before = set(plt.get_fignums())
    with pytest.raises(RuntimeError, match="drawing failed"):
        CheckContext(tmp_path).figure("b.png", draw)
    assert set(plt.get_fignums()) == before and not (tmp_path / "figures" / "b.png").exists()
