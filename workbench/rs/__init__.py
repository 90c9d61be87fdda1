"""The reward-seeking model (spec ``reward_seeking.md``), defined once in sympy.

Public namespace re-exporting the private modules.
"""

from ._expression import parse_expression, sigmoid
from ._homogeneous import HomogeneousConfig, alpha_eff, full_system, reduced_system
from ._model import FLOWS, CompiledModel, Flow, GradientFlow, ReplicatorFlow, RewardModel, compile_model, flow_by_name
from ._simulate import LOCAL, REWARD_SEEKING, UNDECIDED, Criterion, Horizon, Saturation, SimulationResult, simulate
from ._solvers import DormandPrince, Euler, Solver
from ._system import RewardSeekingSystem, VectorField
from ._transfer import MatrixTransfer, NoTransfer, Transfer, UniformTransfer


def homogeneous_system(**kwargs) -> RewardSeekingSystem:
    """Shortcut: ``reduced_system(HomogeneousConfig(**kwargs))``."""
    return reduced_system(HomogeneousConfig(**kwargs))


__all__ = [
    "FLOWS", "LOCAL", "REWARD_SEEKING", "UNDECIDED",
    "CompiledModel", "Criterion", "DormandPrince", "Euler", "Flow", "GradientFlow", "HomogeneousConfig",
    "Horizon", "MatrixTransfer", "NoTransfer", "ReplicatorFlow", "RewardModel", "RewardSeekingSystem",
    "Saturation", "SimulationResult", "Solver", "Transfer", "UniformTransfer", "VectorField",
    "alpha_eff", "compile_model", "flow_by_name", "full_system", "homogeneous_system", "parse_expression",
    "reduced_system", "sigmoid", "simulate",
]
