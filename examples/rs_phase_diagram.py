"""Figure: the homogeneous phase diagram with the paths that increasing N traces (spec §5, claim RS5).

    python examples/rs_phase_diagram.py --out figures/
"""

import argparse
from pathlib import Path

import matplotlib.pyplot as plt

from workbench.rs import HomogeneousConfig
from workbench.rs import plot_phase_diagram


def save(ax, path):
    """Write the figure of ``ax`` to ``path`` (the format from the suffix) and close it."""
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="figures")
    ap.add_argument("--p0", type=float, default=0.01)
    ap.add_argument("--size", type=int, default=61)
    ap.add_argument("--tiny", action="store_true")
    args = ap.parse_args(argv)
    size = 6 if args.tiny else args.size
    return [save(plot_phase_diagram(HomogeneousConfig(p0=args.p0), size=size), Path(args.out) / "rs_phase_diagram.png")]


if __name__ == "__main__":
    for p in main():
        print(p)
