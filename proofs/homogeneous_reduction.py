"""RS3: homogeneous coupling reduces exactly to the N = 1 system with alpha_eff = alpha (1 + (N-1) c).

The derivation and its statement live in the package (``workbench.rs.run_derivation("homogeneous_reduction")``);
this script runs it: exit 0 when every check passed.
"""

import sys

from workbench.rs import run_derivation

sys.exit(run_derivation("homogeneous_reduction"))
