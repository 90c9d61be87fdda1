"""Figure: p, a, b and J against time for the two N = 1 ways reward-seeking wins (claims RS1, RS2).

    python examples/rs_trajectories.py --out figures/
"""

import argparse
from pathlib import Path

import matplotlib.pyplot as plt

from workbench.rs import HomogeneousConfig
from workbench.rs import plot_trajectory

SKILL_GAP = HomogeneousConfig(p0=0.1, x0=1.0, y0=-1.0, alpha=(1.0, 1.0, 0.3))
LEARNABILITY_GAP = HomogeneousConfig(p0=0.1, x0=-2.0, y0=-2.0, alpha=(1.0, 100.0, 1.0))
CANONICAL_N200 = HomogeneousConfig(p0=0.01, n=200.0)


def save(ax, path):
    """Write the figure of ``ax`` to ``path`` (the format from the suffix) and close it."""
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="figures")
    ap.add_argument("--tiny", action="store_true", help="a quick run for the tests")
    args = ap.parse_args(argv)
    out = Path(args.out)
    cases = {"skill_gap": SKILL_GAP, "learnability_gap": LEARNABILITY_GAP, "canonical_n200": CANONICAL_N200}
    if args.tiny:
        cases = {"skill_gap": SKILL_GAP}
    return [save(plot_trajectory(cfg), out / f"rs_trajectory_{name}.png") for name, cfg in cases.items()]


if __name__ == "__main__":
    for p in main():
        print(p)
