"""A deliberately false conjecture: "B, the side with more first actions, weakly wins at least
half of every orbit". Counting options is not enough (spec §3), and the check finds why.

    workbench conjecture check examples/conjectures/naive_fraction.py --max-states 3
"""

from fractions import Fraction


def holds(case):
    if len(case.b) <= len(case.a):
        return True  # the conjecture says nothing here
    return case.vote.weak_fraction_b >= Fraction(1, 2)
