"""RS3: homogeneous coupling reduces exactly to the N = 1 system with alpha_eff = alpha (1 + (N-1) c).

For general N (a symbol, not a few values): with C_ij = (1 - c) delta_ij + c and every
environment in the same state (the symmetric manifold), the velocity of environment i is

    alpha * sum_{j=1}^N C_ij r(z_j, x_j, y_j) = alpha * r(z, x, y) * (1 + (N - 1) c),

the same for every i. So the manifold is invariant (the field is tangent to it) and on it the
dynamics is the single-environment dynamics with alpha_eff. The rates r are the model's own
(flow.local_rates(model)) for every flow and for the kappa / cost parameters.
Run: python proofs/homogeneous_reduction.py   (exit 0 = every symbolic check passed)
"""

import numpy as np
import sympy as sp

from workbench.rs import FLOWS, RewardModel, alpha_eff
from workbench.rs._analysis.checks import SymbolicChecks
from workbench.rs._model.reward_model import x, y, z


def main():
    check = SymbolicChecks()


    N = sp.Symbol("N", integer=True, positive=True)
    i, j = sp.symbols("i j", integer=True, positive=True)
    Z, X, Y = sp.IndexedBase("z"), sp.IndexedBase("x"), sp.IndexedBase("y")
    model = RewardModel.standard()


    def in_range(pw):
        """The branch of a Piecewise whose condition is 1 <= i <= N (i is an environment index)."""
        for expr, cond in pw.args:
            if cond in (sp.Le(i, N), sp.Ge(N, i)):
                return expr
        raise ValueError(f"unexpected condition in {pw}")


    print("Transfer matrix  C_ij = (1 - c_k) delta_ij + c_k  (spec section 5), N symbolic\n")
    for flow in FLOWS.values():
        rates = flow.local_rates(model)
        for name, r, (al, c) in zip("zxy", rates, [sp.symbols(f"alpha_{k} c_{k}", nonnegative=True) for k in "zxy"]):
            C = (1 - c) * sp.KroneckerDelta(i, j) + c
            r_j = r.subs({z: Z[j], x: X[j], y: Y[j]}, simultaneous=True)  # rate of environment j
            velocity_i = al * sp.Sum(C * r_j, (j, 1, N))
            # restrict to the symmetric manifold: z_j = z, x_j = x, y_j = y for every j
            on_manifold = velocity_i.replace(lambda e: isinstance(e, sp.Indexed), lambda e: {Z: z, X: x, Y: y}[e.base])
            summed = on_manifold.doit()
            # doit() gives Piecewise(..., (i <= N)); environment i is one of 1..N, so take that branch
            reduced = sp.factor(summed.replace(lambda e: isinstance(e, sp.Piecewise), in_range))
            expected_alpha = al * (1 + (N - 1) * c)
            print(f"{flow.name}, variable {name}:  d{name}_i/dt on the manifold =")
            sp.pprint(reduced, num_columns=140)
            check(f"{flow.name}/{name}: velocity of env i does not depend on i (manifold invariant)",
                  reduced is not None and i not in reduced.free_symbols and j not in reduced.free_symbols)
            check(f"{flow.name}/{name}: equals alpha_eff * r with alpha_eff = alpha (1 + (N-1) c)",
                  reduced is not None and sp.simplify(reduced - expected_alpha * r) == 0)
            print()

    # The numeric alpha_eff used by the simulator is the same function of (alpha, c, N).
    al, c = sp.symbols("alpha c", positive=True)
    f = sp.lambdify((al, c, N), al * (1 + (N - 1) * c))
    rng = np.random.default_rng(0)
    pts = rng.uniform([0.1, 0.0, 1.0], [3.0, 1.0, 1e6], size=(200, 3))
    check("workbench.rs.alpha_eff matches alpha (1 + (N-1) c) at 200 random points (rel. 1e-12)",
          np.allclose(alpha_eff(pts[:, 0], pts[:, 1], pts[:, 2]), f(pts[:, 0], pts[:, 1], pts[:, 2]), rtol=1e-12))

    check.finish()


if __name__ == "__main__":
    main()
