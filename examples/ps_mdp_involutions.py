"""Figure: MDP drawings with the certified involutions coloured (claims PS1-PS3, PS10).

The option sets of A and B are filled; each certified involution (a copy of ND(A) inside B,
average reward, spec §2) is a dashed arc in its own colour.

    python examples/ps_mdp_involutions.py --out figures/
"""

import argparse
from pathlib import Path

import matplotlib.pyplot as plt

from workbench.power import plot_involutions, shipped_mdp

CASES = [("wait", "start", ["candy"], ["wait"]),
         ("opttsp_figure1", "start", ["shutdown"], ["left", "right"]),
         ("three_copies", "start", ["a"], ["b"])]


def save(ax, path):
    """Write the figure of ``ax`` to ``path`` (the format from the suffix) and close it."""
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="figures")
    ap.add_argument("--tiny", action="store_true", help="only the candy / Wait! MDP")
    args = ap.parse_args(argv)
    out = Path(args.out)
    written = []
    for name, state, a, b in CASES[:1] if args.tiny else CASES:
        written.append(save(plot_involutions(shipped_mdp(name), state, a, b), out / f"ps_involutions_{name}.png"))
    return written


if __name__ == "__main__":
    for p in main():
        print(p)
