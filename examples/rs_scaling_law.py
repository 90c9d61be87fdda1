"""Figure: log N* against log p0 in the canonical configuration, gradient and replicator flows (claim RS6).

    python examples/rs_scaling_law.py --out figures/
"""

import argparse
from pathlib import Path

import matplotlib.pyplot as plt

from workbench.rs import HomogeneousConfig, ReplicatorFlow
from workbench.rs import critical_diversity, fit_scaling
from workbench.rs import plot_scaling

PRIORS = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6)


def save(ax, path):
    """Write the figure of ``ax`` to ``path`` (the format from the suffix) and close it."""
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="figures")
    ap.add_argument("--tiny", action="store_true")
    args = ap.parse_args(argv)
    priors = PRIORS[:3] if args.tiny else PRIORS
    series = []
    for label, flow in (("gradient", HomogeneousConfig().flow), ("replicator", ReplicatorFlow())):
        res = critical_diversity([HomogeneousConfig(p0=p, flow=flow) for p in priors])
        fit = fit_scaling(priors, [r.n_star_continuous for r in res])
        series.append((label, res, fit))
        print(f"{label}: slope {fit.slope:.4f} 95% CI [{fit.slope_ci[0]:.4f}, {fit.slope_ci[1]:.4f}], R^2 {fit.r_squared:.5f}")
    return [save(plot_scaling(series), Path(args.out) / "rs_scaling_law.png")]


if __name__ == "__main__":
    for p in main():
        print(p)
