"""RS8: the late-time drift of p, its threshold p*, and the exact asymptotic basins.

The derivation and its statement live in the package (``workbench.rs.run_derivation("late_time_drift")``);
this script runs it: exit 0 when every check passed.
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("late_time_drift"))
