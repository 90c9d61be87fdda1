"""RS6: why log N* against log p0 is a straight line of slope -1 (gradient flow, c_y = 0),
and why it is not for the replicator flow or for c_y > 0.

1. Rescaling. Put P = alpha_z_eff * p and alpha_x_eff = rho * alpha_z_eff in the reduced field
   (derived from the model) and let alpha_z_eff -> oo. The gradient flow tends to the limit system
       dP/dt = P^2 (a - b),  da/dt = rho P a^2 (1-a)^2,  db/dt = alpha_y b^2 (1-b)^2,
   which contains no N (checked: no alpha_z left; the finite-N field is the limit + O(1/alpha_z)).
2. Hence the outcome depends on p0 only through P0 = alpha_z (1 + (N-1) c_z) p0, and switches at
   the limit system's critical P0*: N* = 1 + (P0*/(alpha_z p0) - 1)/c_z, slope d ln N*/d ln p0 -> -1.
3. P0* comes from the limit system numerically (bisection; saturation rule at leading order in 1/N),
   and is compared with the directly computed N* of the canonical configuration.
4. Replicator: the same limit diverges (dz/dt = alpha_z (a - b) does not vanish as p -> 0), so the
   prior is climbed in log space at rate ~ N: N* ~ ln(1/p0) / (c_z alpha_z I), logarithmic.
5. c_y > 0: every alpha_eff ~ N; time rescaled by N gives an N-independent system with
   learnabilities c_k alpha_k, whose outcome at small p0 is local: a critical prior exists.
Run: python proofs/small_prior_scaling.py   (exit 0 = every check passed)
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("small_prior_scaling"))
