"""RS7a: the small-prior mean-field limit of the heterogeneous system (N and p0 enter only through N p0).

The derivation and its statement live in the package (``workbench.rs.run_derivation("hetero_mean_field")``);
this script runs it: exit 0 when every check passed.
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("hetero_mean_field"))
