"""RS3: homogeneous coupling reduces exactly to the N = 1 system with alpha_eff = alpha (1 + (N-1) c).

For general N (a symbol, not a few values): with C_ij = (1 - c) delta_ij + c and every
environment in the same state (the symmetric manifold), the velocity of environment i is

    alpha * sum_{j=1}^N C_ij r(z_j, x_j, y_j) = alpha * r(z, x, y) * (1 + (N - 1) c),

the same for every i. So the manifold is invariant (the field is tangent to it) and on it the
dynamics is the single-environment dynamics with alpha_eff. The rates r are the model's own
(flow.local_rates(model)) for every flow and for the kappa / cost parameters.
Run: python proofs/homogeneous_reduction.py   (exit 0 = every symbolic check passed)
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("homogeneous_reduction"))
