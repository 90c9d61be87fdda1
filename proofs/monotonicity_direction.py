"""RS4 and RS5: alpha_eff is monotone in N, and the direction N moves the phase-diagram point.

RS4:  d alpha_eff / dN = alpha c >= 0, for alpha_eff = alpha (1 + (N - 1) c) (from RS3).
RS5:  phase-plane point (X, Y) = (log(ax_eff/az_eff), log(ay_eff/az_eff)) (spec section 5):
      dX/dN = (c_x - c_z) / ((1 + (N-1) c_x)(1 + (N-1) c_z)),
      dY/dN = (c_y - c_z) / ((1 + (N-1) c_y)(1 + (N-1) c_z)).
      For c_x >= c_z > c_y: dX/dN >= 0 and dY/dN < 0, i.e. right (or straight down when
      c_x = c_z) and down: towards the bottom right. The limit point as N -> oo is
      (log(c_x a_x / (c_z a_z)), log(c_y a_y / (c_z a_z))), -oo in Y when c_y = 0.
RS5a (beyond the seed): the late-time drift threshold p* = ay_eff/(ax_eff + ay_eff) (RS8)
      decreases in N when c_x > c_y: the asymptotic reward-seeking basin grows with N.
Run: python proofs/monotonicity_direction.py   (exit 0 = every symbolic check passed)
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("monotonicity_direction"))
