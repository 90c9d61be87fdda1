"""Figure: POWER(s, gamma) on [0, 1] for the states of the OPTTSP Figure-1 MDP (claim PS13).

iid uniform [0, 1] rewards; exact where the engine has a closed form (k terminal 1-cycles give
k/(k+1)), Monte Carlo with 95% error bars otherwise. gamma = 0 and 1 are continuous limits.

    python examples/ps_power_gamma.py --out figures/
"""

import argparse
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt

from workbench.power import plot_power_vs_gamma, shipped_mdp


def save(ax, path):
    """Write the figure of ``ax`` to ``path`` (the format from the suffix) and close it."""
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="figures")
    ap.add_argument("--samples", type=int, default=20_000)
    ap.add_argument("--tiny", action="store_true")
    args = ap.parse_args(argv)
    steps = 4 if args.tiny else 10
    samples = 2_000 if args.tiny else args.samples
    gammas = [Fraction(k, steps) for k in range(steps + 1)]
    ax = plot_power_vs_gamma(shipped_mdp("opttsp_figure1"), ["shutdown", "left", "right", "start"],
                             gammas=gammas, samples=samples)
    return [save(ax, Path(args.out) / "ps_power_vs_gamma.png")]


if __name__ == "__main__":
    for p in main():
        print(p)
