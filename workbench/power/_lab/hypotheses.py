"""Hypotheses and conclusions of the shipped conjectures (copies of ND(A) inside B).

Each ``*_hypotheses(mdp, state, a, b, criterion)`` returns ``None`` when the hypotheses fail
(a vacuous case) or a dict of what was certified, with the ``"bound"`` that ``holds`` tests.

References
----------
Turner & Tadepalli 2022 (RDSP), Thm D.11 and Conj D.13; Turner et al. 2021 (OPTTSP), Thm 6.13;
spec §2 (copies).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from workbench.power._orbits.copies import copies_at, find_copies
from workbench.power._visits.criteria import Average
from workbench.power._visits.visits import non_dominated, options

__all__ = ["fractional_hypotheses", "fractional_overlap_hypotheses", "strict_hypotheses", "strict_disjoint_hypotheses"]


def _fs(x) -> str:
    x = Fraction(x)
    return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator)


def _copies_hyp(mdp, state, a, b, criterion):
    cert = copies_at(mdp, state, a, b, criterion)
    if cert.n == 0:
        return None
    return {"n": cert.n, "bound": Fraction(cert.n, cert.n + 1), "kind": f"n={cert.n}",
            "involutions": [phi.named(cert.names) for phi in cert.involutions]}


def _copies_avg_hyp(mdp, state, a, b, criterion):
    return _copies_hyp(mdp, state, a, b, Average())


def _set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _set_partitions(rest):
        for i in range(len(part)):
            yield part[:i] + [[first] + part[i]] + part[i + 1:]
        yield [[first]] + part


def _is_image(X, Y, names) -> bool:
    """Is there an involution mapping the set X onto the set Y (exactly)?"""
    if len(X) != len(Y):
        return False
    if frozenset(X) == frozenset(Y):
        return True
    cert = find_copies(X, Y, names, max_iter=2_000)
    return cert.n >= 1 and any(phi.apply_set(X) == frozenset(Y) for phi in cert.involutions)


def _supp(vectors) -> frozenset:
    return frozenset(i for v in vectors for i, c in enumerate(v) if c)


def fractional_hypotheses(mdp, state, a, b, criterion=None, *, disjoint: bool = True):
    """RDSP Conj D.13 as formalised here (average-reward RSD level).

    Find a partition of ND(A) (the non-dominated RSDs reachable through A) into ``m`` blocks that
    are involution images of one block X, and ``n`` copies of X among B's RSDs, certified as in
    spec §2 (``φ_j·X ⊆ B``, ``φ_j·B_k = B_k`` for ``k != j``, non-identity involutions). With
    ``disjoint`` (the default, the natural reading of "n things versus m things") the m + n
    blocks must have pairwise disjoint supports; copies overlapping others are dropped (greedily).
    Among the valid partitions with ``n >= m`` the one with the largest ``n/(n+m)`` (the strongest
    instance) is tested. ``None`` if there is none.
    """
    A = list(dict.fromkeys(f.rsd() for f in options(mdp, state, a)))
    A = [A[i] for i in non_dominated(A)]
    B = list(dict.fromkeys(f.rsd() for f in options(mdp, state, b)))
    if len(A) > 6:
        return None
    best = None
    for part in _set_partitions(list(range(len(A)))):
        size = len(part[0])
        if any(len(p) != size for p in part):
            continue
        blocks = [[A[i] for i in p] for p in part]
        X = blocks[0]
        if disjoint:
            sup = [_supp(bl) for bl in blocks]
            if any(sup[i] & sup[j] for i, j in itertools.combinations(range(len(sup)), 2)):
                continue
        if not all(_is_image(X, bl, mdp.states) for bl in blocks[1:]):
            continue
        m = len(part)
        cert = find_copies(X, B, mdp.states, max_iter=5_000)
        invs = [phi for phi in cert.involutions if phi.pairs]  # the identity is a degenerate copy
        if disjoint:
            used = set(_supp(X).union(*(_supp(bl) for bl in blocks)))
            keep = []
            for phi in invs:
                s_ = _supp(phi.apply_set(X))
                if not s_ & used:
                    keep.append(phi)
                    used |= s_
            invs = keep
        n = len(invs)
        if n < m or n == 0:
            continue
        bound = Fraction(n, n + m)
        if best is None or bound > best["bound"]:
            best = {"m": m, "n": n, "bound": bound, "kind": f"m={m},n={n}", "block_size": size,
                    "X": [[_fs(c) for c in v] for v in X],
                    "copies_of_X_in_B": [phi.named(cert.names) for phi in invs]}
    return best


def fractional_overlap_hypotheses(mdp, state, a, b, criterion=None):
    """As :func:`fractional_hypotheses` but the things may overlap (only spec §2's copy conditions)."""
    return fractional_hypotheses(mdp, state, a, b, criterion, disjoint=False)


def strict_hypotheses(mdp, state, a, b, criterion=None):
    """B contains n >= 1 copies of ND(A) certified with non-identity involutions (average, RSDs)."""
    cert = copies_at(mdp, state, a, b, Average())
    invs = [phi for phi in cert.involutions if phi.pairs]
    if not invs:
        return None
    A = frozenset(f.rsd() for f in options(mdp, state, a))
    B = frozenset(f.rsd() for f in options(mdp, state, b))
    n = len(invs)
    return {"n": n, "bound": Fraction(n, n + 1), "kind": f"n={n}" + (", shared RSD" if A & B else ""),
            "shared_rsds": len(A & B), "involutions": [phi.named(cert.names) for phi in invs]}


def strict_disjoint_hypotheses(mdp, state, a, b, criterion=None):
    """:func:`strict_hypotheses` plus: no RSD is reachable through both A and B."""
    h = strict_hypotheses(mdp, state, a, b, criterion)
    return h if h is not None and h["shared_rsds"] == 0 else None


def _weak_b(vote, hyp) -> bool:
    return vote.weak_fraction_b >= hyp["bound"]


def _strict_b(vote, hyp) -> bool:
    return Fraction(vote.b_strict, vote.orbit_size) >= hyp["bound"]


# structured families --------------------------------------------------------------------------
