"""RS8: every equilibrium set of the reduced dynamics in (p, a, b) and its stability.

The derivation and its statement live in the package (``workbench.rs.run_derivation("equilibria_stability")``);
this script runs it: exit 0 when every check passed.
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("equilibria_stability"))
