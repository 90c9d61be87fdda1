"""Figure: exact orbit votes against the proven bound n/(n+1) (claims PS1-PS4).

For each MDP, the orbit of distinct rewards and a tied orbit, as stacked bars (B strictly
better / tie / A strictly better) with the proven bound (dashed) and, for 51 vs 2, the
fractional conjecture 51/53 (dotted).

    python examples/ps_orbit_bars.py --out figures/
"""

import argparse
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt

from workbench.power import copies_at, orbit_vote
from workbench.power import plot_orbit_bars, shipped_mdp


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
    cases = [("wait", ["candy"], ["wait"], [[1, 2, 3, 4, 5], [0, 0, 1, 1, 0], [0, 0, 1, 2, 3]], None)]
    if not args.tiny:
        cases += [("live51_die2", ["die"], ["live"], [list(range(56)), [0] * 54 + [1, 1]], Fraction(51, 53)),
                  ("opttsp_figure1", ["shutdown"], ["left", "right"], [[0] * 8 + [1, 2, 3], [0] * 9 + [1, 1]], None)]
    rows = []
    for name, a, b, rewards, conj in cases:
        m = shipped_mdp(name)
        cert = copies_at(m, "start", a, b)
        for r in rewards:
            v = orbit_vote(m, "start", a, b, r)
            label = f"{name}: {','.join(str(x) for x in r[:6])}{'...' if len(r) > 6 else ''}"
            rows.append({"label": label, "vote": v, "bound": cert.bound, "conjecture": conj})
    ax = plot_orbit_bars(rows, title="exact orbit votes (average reward) against the certified bound n/(n+1)")
    return [save(ax, Path(args.out) / "ps_orbit_bars.png")]


if __name__ == "__main__":
    for p in main():
        print(p)
