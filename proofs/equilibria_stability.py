"""RS8: every equilibrium set of the reduced dynamics in (p, a, b) and its stability.

For each variant (gradient, replicator, gradient with cost 1/10, gradient with kappa 1/2) the
field is derived from the model (flow.local_rates -> probability coordinates by substitution),
equilibrium sets are found by branching over the factors of each component, and each set is
  * verified by exact substitution into all three components,
  * cross-checked: every solution sympy.solve returns inside the cube lies in a found set
    (nonlinsolve is run too and what it misses is reported),
  * classified by its Jacobian eigenvalues and, where those vanish, by the leading inward
    normal term c * delta^k (attracting where c < 0, repelling where c > 0, changing
    character where c changes sign along the set).
Run: python proofs/equilibria_stability.py   (exit 0 = every symbolic check passed)
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("equilibria_stability"))
