"""The reward-seeking model (spec ``reward_seeking.md``, seed 000), defined once in sympy.

The public namespace of the reward-seeking science, in pipeline order:

- **model**: the expected reward J as a sympy expression (:class:`RewardModel`), the flows
  derived from it (:class:`GradientFlow`, :class:`ReplicatorFlow`), transfer strategies;
- **simulate**: batched integration (:class:`DormandPrince`, :class:`Euler`, with Euler's
  measured order, :func:`euler_convergence`) and outcome criteria (:class:`Saturation`,
  :class:`Horizon`, :class:`Asymptotic`);
- **homogeneous coupling**: :class:`HomogeneousConfig`, the reduced and full systems,
  critical diversity N* (:func:`critical_diversity`, scanning N on a :class:`LogGrid` that checks
  monotonicity or a :class:`Ladder` that does not) and the scaling fit (:func:`fit_scaling`);
- **analysis**: equilibria, late-time drift and small-prior scaling (:func:`analyze`), the
  symbolic derivations behind the analytic claims (:func:`run_derivation`), the cutoff law
  (:func:`cutoff_law`), the phase-plane motion (:func:`vertical_descent`), how often some N
  suffices (:func:`reachable_fraction`) and the cost variant (:func:`cost_threshold`);
- **heterogeneous coupling and sweeps**: geometries, kernels, :class:`HeteroConfig`,
  :func:`simulate_hetero`, :func:`critical_diversity_hetero`, :func:`run_sweep` with serial,
  process and Dask executors;
- **figures**: ``plot_*`` functions that draw on a matplotlib ``ax`` (imported on first use).

Examples
--------
>>> from workbench.rs import HomogeneousConfig, critical_diversity
>>> [r] = critical_diversity(HomogeneousConfig(p0=0.1))
>>> r.n_star
10
"""

from typing import TYPE_CHECKING

# Names load on first use (module __getattr__ below), so that importing one sub-module does not
# import the whole science; static tools (type checkers, the API docs) read these imports.
if TYPE_CHECKING:
    from workbench.rs._analysis.cost_variant import cost_bound, cost_drift_rate, cost_threshold
    from workbench.rs._analysis.cutoff_law import CutoffLaw, cutoff_law, cutoff_law_derivation
    from workbench.rs._analysis.phase_motion import VerticalDescent, phase_motion_derivation, vertical_descent
    from workbench.rs._analysis.reachability import ConfigurationDistribution, Reachability, reachable_fraction, wilson_interval
    from workbench.rs._simulate.convergence import ConvergenceOrder, euler_convergence
    from workbench.rs._analysis.analyze import Analysis, analyze
    from workbench.rs._analysis.asymptotic import Asymptotic
    from workbench.rs._analysis.checks import SymbolicChecks, derivation_names, run_derivation
    from workbench.rs._analysis.drift import DriftRule, late_time_drift
    from workbench.rs._analysis.equilibria import EquilibriumReport, EquilibriumSet, equilibrium_report, probability_field
    from workbench.rs._analysis.scaling_laws import (
        CriticalPrior,
        LogarithmicLaw,
        NoRescaling,
        NoSaturation,
        NoSwitch,
        PowerLaw,
        ScalingLaw,
        ScalingPrediction,
    )
    from workbench.rs._analysis.small_prior import (
        LimitSystem,
        critical_limit_prior,
        critical_prior,
        limit_system,
        predicted_n_star,
        predicted_scaling,
        small_prior_limit,
        SmallPriorLimit,
    )
    from workbench.rs._hetero.geometry import Geometry, calibrate, geometry_by_name, geometry_names, register_geometry
    from workbench.rs._hetero.kernels import Dense32, Dense64, KernelBackend, SparseCutoff, backend_by_name
    from workbench.rs._hetero.model import (
        EnvironmentSequence,
        HeteroConfig,
        HeteroCritical,
        HeteroRun,
        critical_diversity_hetero,
        hetero_system,
        simulate_hetero,
    )
    from workbench.rs._hetero.mean_field import (
        MeanFieldPrediction,
        collapse_measure,
        mean_field_lambda_star,
        predict_lambda_star,
        two_cluster_environments,
    )
    from workbench.rs._homogeneous.config import HomogeneousConfig, alpha_eff, full_system, reduced_system
    from workbench.rs._homogeneous.critical import CriticalDiversity, ScalingFit, critical_diversity, fit_scaling
    from workbench.rs._homogeneous.reference import reference_outcome
    from workbench.rs._homogeneous.scan import Ladder, LogGrid, Scan
    from workbench.rs._model.expression import parse_expression, sigmoid
    from workbench.rs._model.reward_model import (
        FLOWS,
        CompiledModel,
        Flow,
        GradientFlow,
        ReplicatorFlow,
        RewardModel,
        compile_model,
        flow_by_name,
    )
    from workbench.rs._model.system import RewardSeekingSystem, VectorField
    from workbench.rs._model.transfer import MatrixTransfer, NoTransfer, Transfer, UniformTransfer
    from workbench.rs._simulate.simulate import (
        LOCAL,
        REWARD_SEEKING,
        Outcome,
        UNDECIDED,
        Criterion,
        Horizon,
        Saturation,
        SimulationResult,
        simulate,
    )
    from workbench.rs._simulate.solvers import DormandPrince, Euler, Solver
    from workbench.rs._sweep.executors import DaskExecutor, Executor, ProcessExecutor, SerialExecutor
    from workbench.rs._sweep.spec import SweepSpec
    from workbench.rs._sweep.store import SweepStore
    from workbench.rs._sweep.sweep import SweepResult, run_sweep

_EXPORTS = {
    **dict.fromkeys(('cost_bound', 'cost_drift_rate', 'cost_threshold'), 'workbench.rs._analysis.cost_variant'),
    **dict.fromkeys(('CutoffLaw', 'cutoff_law', 'cutoff_law_derivation'), 'workbench.rs._analysis.cutoff_law'),
    **dict.fromkeys(('VerticalDescent', 'phase_motion_derivation', 'vertical_descent'), 'workbench.rs._analysis.phase_motion'),
    **dict.fromkeys(('ConfigurationDistribution', 'Reachability', 'reachable_fraction', 'wilson_interval'), 'workbench.rs._analysis.reachability'),
    **dict.fromkeys(('ConvergenceOrder', 'euler_convergence'), 'workbench.rs._simulate.convergence'),
    **dict.fromkeys(('Analysis', 'analyze'), 'workbench.rs._analysis.analyze'),
    **dict.fromkeys(('Asymptotic',), 'workbench.rs._analysis.asymptotic'),
    **dict.fromkeys(('SymbolicChecks', 'derivation_names', 'run_derivation'), 'workbench.rs._analysis.checks'),
    **dict.fromkeys(('DriftRule', 'late_time_drift'), 'workbench.rs._analysis.drift'),
    **dict.fromkeys(('EquilibriumReport', 'EquilibriumSet', 'equilibrium_report', 'probability_field'), 'workbench.rs._analysis.equilibria'),
    **dict.fromkeys(('CriticalPrior', 'LogarithmicLaw', 'NoRescaling', 'NoSaturation', 'NoSwitch', 'PowerLaw', 'ScalingLaw', 'ScalingPrediction'), 'workbench.rs._analysis.scaling_laws'),
    **dict.fromkeys(('LimitSystem', 'critical_limit_prior', 'critical_prior', 'limit_system', 'predicted_n_star', 'predicted_scaling', 'small_prior_limit', 'SmallPriorLimit'), 'workbench.rs._analysis.small_prior'),
    **dict.fromkeys(('Geometry', 'calibrate', 'geometry_by_name', 'geometry_names', 'register_geometry'), 'workbench.rs._hetero.geometry'),
    **dict.fromkeys(('Dense32', 'Dense64', 'KernelBackend', 'SparseCutoff', 'backend_by_name'), 'workbench.rs._hetero.kernels'),
    **dict.fromkeys(('MeanFieldPrediction', 'collapse_measure', 'mean_field_lambda_star', 'predict_lambda_star', 'two_cluster_environments'), 'workbench.rs._hetero.mean_field'),
    **dict.fromkeys(('EnvironmentSequence', 'HeteroConfig', 'HeteroCritical', 'HeteroRun', 'critical_diversity_hetero', 'hetero_system', 'simulate_hetero'), 'workbench.rs._hetero.model'),
    **dict.fromkeys(('HomogeneousConfig', 'alpha_eff', 'full_system', 'reduced_system'), 'workbench.rs._homogeneous.config'),
    **dict.fromkeys(('CriticalDiversity', 'ScalingFit', 'critical_diversity', 'fit_scaling'), 'workbench.rs._homogeneous.critical'),
    **dict.fromkeys(('reference_outcome',), 'workbench.rs._homogeneous.reference'),
    **dict.fromkeys(('Ladder', 'LogGrid', 'Scan'), 'workbench.rs._homogeneous.scan'),
    **dict.fromkeys(('parse_expression', 'sigmoid'), 'workbench.rs._model.expression'),
    **dict.fromkeys(('FLOWS', 'CompiledModel', 'Flow', 'GradientFlow', 'ReplicatorFlow', 'RewardModel', 'compile_model', 'flow_by_name'), 'workbench.rs._model.reward_model'),
    **dict.fromkeys(('RewardSeekingSystem', 'VectorField'), 'workbench.rs._model.system'),
    **dict.fromkeys(('MatrixTransfer', 'NoTransfer', 'Transfer', 'UniformTransfer'), 'workbench.rs._model.transfer'),
    **dict.fromkeys(('LOCAL', 'REWARD_SEEKING', 'Outcome', 'UNDECIDED', 'Criterion', 'Horizon', 'Saturation', 'SimulationResult', 'simulate'), 'workbench.rs._simulate.simulate'),
    **dict.fromkeys(('DormandPrince', 'Euler', 'Solver'), 'workbench.rs._simulate.solvers'),
    **dict.fromkeys(('DaskExecutor', 'Executor', 'ProcessExecutor', 'SerialExecutor'), 'workbench.rs._sweep.executors'),
    **dict.fromkeys(('SweepSpec',), 'workbench.rs._sweep.spec'),
    **dict.fromkeys(('SweepStore',), 'workbench.rs._sweep.store'),
    **dict.fromkeys(('SweepResult', 'run_sweep'), 'workbench.rs._sweep.sweep'),
}


def homogeneous_system(**kwargs) -> "RewardSeekingSystem":
    """Shortcut: ``reduced_system(HomogeneousConfig(**kwargs))``."""
    from workbench.rs._homogeneous.config import HomogeneousConfig, reduced_system

    return reduced_system(HomogeneousConfig(**kwargs))


# Figures import matplotlib, so they load on first use.
_FIGURES = {
    "plot_trajectory": "workbench.rs._plotting.figures",
    "plot_skill_sweep": "workbench.rs._plotting.figures",
    "plot_phase_diagram": "workbench.rs._plotting.figures",
    "plot_scaling": "workbench.rs._plotting.figures",
    "plot_sweep": "workbench.rs._plotting.sweep",
    "plot_collapse": "workbench.rs._plotting.collapse",
}


__all__ = [
    # model
    "FLOWS", "CompiledModel", "Flow", "GradientFlow", "ReplicatorFlow", "RewardModel", "compile_model", "flow_by_name",
    "parse_expression", "sigmoid", "RewardSeekingSystem", "VectorField",
    "MatrixTransfer", "NoTransfer", "Transfer", "UniformTransfer",
    # simulate
    "LOCAL", "REWARD_SEEKING", "UNDECIDED", "Outcome", "Criterion", "Horizon", "Saturation", "Asymptotic", "SimulationResult",
    "simulate", "DormandPrince", "Euler", "Solver", "ConvergenceOrder", "euler_convergence",
    # homogeneous coupling
    "HomogeneousConfig", "alpha_eff", "full_system", "reduced_system", "homogeneous_system",
    "CriticalDiversity", "critical_diversity", "Scan", "LogGrid", "Ladder", "ScalingFit", "fit_scaling", "reference_outcome",
    # analysis
    "Analysis", "analyze", "DriftRule", "late_time_drift", "EquilibriumReport", "EquilibriumSet", "equilibrium_report",
    "probability_field", "LimitSystem", "limit_system", "critical_limit_prior", "critical_prior", "predicted_n_star",
    "predicted_scaling", "ScalingPrediction", "ScalingLaw", "PowerLaw", "LogarithmicLaw", "CriticalPrior",
    "NoSaturation", "NoRescaling", "NoSwitch", "small_prior_limit", "SmallPriorLimit",
    "SymbolicChecks", "derivation_names", "run_derivation",
    "CutoffLaw", "cutoff_law", "cutoff_law_derivation", "VerticalDescent", "phase_motion_derivation", "vertical_descent",
    "ConfigurationDistribution", "Reachability", "reachable_fraction", "wilson_interval",
    "cost_bound", "cost_drift_rate", "cost_threshold",
    # heterogeneous coupling and sweeps
    "Geometry", "calibrate", "geometry_by_name", "geometry_names", "register_geometry",
    "Dense32", "Dense64", "KernelBackend", "SparseCutoff", "backend_by_name",
    "EnvironmentSequence", "HeteroConfig", "HeteroCritical", "HeteroRun", "critical_diversity_hetero", "hetero_system",
    "simulate_hetero", "MeanFieldPrediction", "collapse_measure", "mean_field_lambda_star", "predict_lambda_star",
    "two_cluster_environments",
    "DaskExecutor", "Executor", "ProcessExecutor", "SerialExecutor", "SweepResult", "SweepSpec", "SweepStore", "run_sweep",
    # figures
    *_FIGURES,
]


def __getattr__(name):
    module = _EXPORTS.get(name) or _FIGURES.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench.rs' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
