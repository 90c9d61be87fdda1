"""Figure: the homogeneous phase diagram with the paths that increasing N traces (spec §5, claim RS5).

    python examples/rs_phase_diagram.py --out figures/
"""

import argparse
from pathlib import Path

from workbench.rs import HomogeneousConfig
from workbench.rs import plot_phase_diagram


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="figures")
    ap.add_argument("--p0", type=float, default=0.01)
    ap.add_argument("--size", type=int, default=61)
    ap.add_argument("--tiny", action="store_true")
    args = ap.parse_args(argv)
    size = 6 if args.tiny else args.size
    return [plot_phase_diagram(HomogeneousConfig(p0=args.p0), Path(args.out) / "rs_phase_diagram.png", size=size)]


if __name__ == "__main__":
    for p in main():
        print(p)
