"""RS4 and RS5: alpha_eff is monotone in N, and the direction N moves the phase-diagram point.

The derivation and its statement live in the package (``workbench.rs.run_derivation("monotonicity_direction")``);
this script runs it: exit 0 when every check passed.
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("monotonicity_direction"))
