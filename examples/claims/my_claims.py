"""Claims of my own, run beside the built-in ones: ``workbench verify --claims examples/claims/my_claims.py``.

A claims file registers each claim with the same decorator the package uses; its check gets a
``CheckContext`` and returns ``Evidence`` whose steps earn the status.
"""

from fractions import Fraction

from workbench.claims import CheckContext, Evidence, Step, StepKind, claim
from workbench.rs import HomogeneousConfig, critical_diversity


@claim("MY1", source="my note, Lemma 1", statement="n/(n+1) > m/(m+1) whenever n > m >= 1 (checked for n <= 50)",
       code="examples/claims/my_claims.py::check_my1")
def check_my1(context: CheckContext) -> Evidence:
    pairs = [(n, m) for n in range(2, 51) for m in range(1, n)]
    ok = all(Fraction(n, n + 1) > Fraction(m, m + 1) for n, m in pairs)
    step = Step("n/(n+1) > m/(m+1) in exact fractions", StepKind.EXHAUSTIVE, f"all {len(pairs)} pairs 1 <= m < n <= 50", ok)
    return Evidence(f"Exact on all {len(pairs)} pairs with n <= 50.", [step], {"pairs": len(pairs)})


@claim("MY2", source="my note, Example 2", statement="N* = 10 at p0 = 0.1 in the canonical configuration",
       code="examples/claims/my_claims.py::check_my2")
def check_my2(context: CheckContext) -> Evidence:
    [r] = critical_diversity(HomogeneousConfig(p0=0.1))
    step = Step("N* = 10 at p0 = 0.1", StepKind.NUMERIC, "one prior, saturation criterion eps 1e-3", r.n_star == 10)
    return Evidence(f"N* = {r.n_star} at p0 = 0.1 (saturation criterion).", [step], {"p0": 0.1, "n_star": r.n_star})
