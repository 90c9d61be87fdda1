"""RDSP Thm D.11 as a conjecture file: if B contains n certified copies of A's options
(average reward, RSDs), at least n/(n+1) of every orbit weakly prefers B.

    workbench conjecture check examples/conjectures/copies_law.py --max-states 3
"""

from fractions import Fraction

from workbench.power import copies_at


def holds(case):
    n = copies_at(case.mdp, case.state, case.a, case.b, case.criterion).n
    return n == 0 or case.vote.weak_fraction_b >= Fraction(n, n + 1)
