"""workbench: a symbolic-plus-numeric theory workbench for the physics of RL and power-seeking.

Subpackages
-----------
``workbench.rs``
    The reward-seeking model (spec ``reward_seeking.md``): the symbolic expected reward, the
    flows derived from it, batched simulation, homogeneous reduction and critical diversity.
``workbench.power``
    The power-seeking engine (spec ``power_seeking.md``): MDPs, visit distributions, orbit
    votes, certified copies, POWER.
"""

from ._claims import Claim, CheckContext, ClaimResult, Evidence, Status, all_claims, register, run_claims
from ._errors import WorkbenchError
from ._numbers import parse_fraction, parse_number

__all__ = [
    "Claim",
    "CheckContext",
    "ClaimResult",
    "Evidence",
    "Status",
    "WorkbenchError",
    "all_claims",
    "parse_fraction",
    "parse_number",
    "register",
    "run_claims",
]
__version__ = "0.1.0"
