"""Figure: the same orbit under discounted(gamma), Blackwell and average reward (claim PS8).

The n/(n+1) law is an average-reward statement; under discounting the weak fraction for
Wait! dips below 2/3 (spec §4 pitfalls).

    python examples/ps_criteria_gamma.py --out figures/
"""

import argparse
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt

from workbench.power import plot_weak_fraction_vs_gamma, shipped_mdp


def save(ax, path):
    """Write the figure of ``ax`` to ``path`` (the format from the suffix) and close it."""
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="figures")
    ap.add_argument("--reward", default="1,2,3,4,5", help="reward on (start, wait, candy, chocolate, hug)")
    ap.add_argument("--tiny", action="store_true")
    args = ap.parse_args(argv)
    steps = 5 if args.tiny else 20
    gammas = [Fraction(k, steps) for k in range(steps)] + [Fraction(99, 100)]
    reward = [Fraction(x) for x in args.reward.split(",")]
    ax = plot_weak_fraction_vs_gamma(shipped_mdp("wait"), "start", ["candy"], ["wait"], reward, gammas=gammas,
                                     bound=Fraction(2, 3))
    return [save(ax, Path(args.out) / "ps_weak_fraction_vs_gamma.png")]


if __name__ == "__main__":
    for p in main():
        print(p)
