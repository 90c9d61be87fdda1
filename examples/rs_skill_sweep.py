"""Figure: outcome of N = 1 training over a grid of initial skills (x0, y0) (claim RS1).

    python examples/rs_skill_sweep.py --out figures/
"""

import argparse
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from workbench.rs import HomogeneousConfig
from workbench.rs import plot_skill_sweep


def save(ax, path):
    """Write the figure of ``ax`` to ``path`` (the format from the suffix) and close it."""
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="figures")
    ap.add_argument("--size", type=int, default=41, help="grid points per axis")
    ap.add_argument("--tiny", action="store_true")
    args = ap.parse_args(argv)
    size = 5 if args.tiny else args.size
    grid = np.linspace(-4, 4, size)
    cfg = HomogeneousConfig(p0=0.1, alpha=(1.0, 1.0, 0.3))
    return [save(plot_skill_sweep(cfg, grid, grid), Path(args.out) / "rs_skill_sweep.png")]


if __name__ == "__main__":
    for p in main():
        print(p)
