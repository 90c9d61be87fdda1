"""RS6: why log N* against log p0 is a straight line of slope -1 (gradient flow, c_y = 0),

The derivation and its statement live in the package (``workbench.rs.run_derivation("small_prior_scaling")``);
this script runs it: exit 0 when every check passed.
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("small_prior_scaling"))
