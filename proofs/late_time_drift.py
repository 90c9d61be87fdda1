"""RS8: the late-time drift of p, its threshold p*, and the exact asymptotic basins.

Near the saturated line a = b = 1 write a = 1 - u, b = 1 - v. From the model's own field:
  du/dt = q_u(u, v) + ..., dv/dt = q_v(u, v) + ... (quadratic), so u ~ U/t, v ~ V/t with
  -U = q_u(U, V), -V = q_v(U, V); then dz/d(ln t) -> D(p) and D(p*) = 0.
Gradient flow:   U = 1/(alpha_x p), V = 1/(alpha_y (1-p)),
                 D(p) = alpha_z (p/alpha_y - (1-p)/alpha_x),  p* = alpha_y/(alpha_x + alpha_y).
In the (p, U, V) system on the ln t scale, p* is a saddle (Routh-Hurwitz: a3 < 0).
Exact at all times: R+ = {a >= b, p >= p_inv} and R- = {a <= b, p <= p_inv} are forward invariant,
with p_inv = p* (checked for gradient and replicator, for kappa in {1/4, 1/2, 3/4}:
p* = (1-kappa) alpha_y / (alpha_x + (1-kappa)^2 alpha_y)). With cost > 0 the drift is the
constant -alpha_z cost: R- stays invariant, R+ does not.
Run: python proofs/late_time_drift.py   (exit 0 = every symbolic check passed)
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("late_time_drift"))
