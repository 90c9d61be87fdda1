"""RS7a: the small-prior mean-field limit of the heterogeneous system; N and p0 enter only through lambda = N p0.

Symbolic steps (sympy, from the model's own local rates r^k = flow.local_rates(model)):
1. Write each transfer sum with kernels normalised by N, sum_j C_ij r_j = N <C_i. r>, and put
   p = P/N. One sender term of N^2 p_i (1 - p_i) alpha_z C r^z(p_j) tends, as N -> oo at fixed P,
   to alpha_z C P_i P_j (a_j - b_j); of N alpha_x a_i (1 - a_i) C r^x(p_j) to alpha_x C a_i (1 - a_i) P_j a_j (1 - a_j).
   No N is left. (The limit of the sum is the sum of the limits: each of the N terms is weighted
   1/N and bounded on the cube -- a formal step.)
2. The local skill: r^y(p_j -> 0) = b_j (1 - b_j) <= 1/4 (max at b = 1/2), so the transfer of the
   other N - 1 environments changes db_i/dt by at most alpha_y (N - 1) cbar_y / 4: negligible exactly
   when N cbar_y << 1 (cbar_y the mean off-diagonal local-skill coupling). Then b_i learns alone.
3. Initial data: P_i(0) = N sigmoid(logit(p0) + s zeta_i) -> lambda e^{s zeta_i} as p0 -> 0 at fixed
   lambda = N p0. With 1-3 the limit system contains N and p0 only through lambda; hence N* = lambda*/p0
   and d ln N*/d ln p0 = -1 in every geometry; the geometry (its empirical measure) sets lambda*.
4. Self-transfer C_ii = 1: one of N terms, a relative correction O(1/(N cbar_z)) (exact in the
   homogeneous case: 1 + (N - 1) c_z = N c_z (1 + (1 - c_z)/(N c_z))).
5. Rayleigh bound: for the kernel K = C/N (symmetric, non-negative) the Perron eigenvalue mu >= mean
   row sum of K = (1 + (N-1) cbar)/N, with cbar the off-diagonal mean ON THE SAME POINTS (u = 1/sqrt(N);
   the diagonal C_ii = 1 included), and mu <= max row sum (Perron-Frobenius). The heterogeneous blow-up
   grows along the Perron vector, so lambda* is set by mu, not by cbar -- why the homogeneous model
   with the mean coupling over-predicts N*. Against the geometry's cbar (an expectation, or a mean on
   other points) mu need not be larger: the two differ by the sampling error of cbar, ~2 sd(row
   means)/sqrt(N). (Checked here for 2x2 kernels symbolically; the numbers are in the claim.)
Numeric (in the claim, not here): lambda* on sampled points, the two-cluster check, the collapse.
Run: python proofs/hetero_mean_field.py   (exit 0 = every check passed)
"""

import sympy as sp

from workbench.rs._analysis.checks import SymbolicChecks
from workbench.rs._analysis.equilibria import ALPHA_X, ALPHA_Y, ALPHA_Z, A, B, P, probability_field


def main():
    check = SymbolicChecks()
    field = probability_field()
    rz, rx, ry = (sp.factor(v / al) for v, al in zip(field.logit_velocity, (ALPHA_Z, ALPHA_X, ALPHA_Y)))
    print("local rates from the model (p, a, b):", [sp.sstr(r) for r in (rz, rx, ry)])
    n, lam, c, s, zeta, p0 = sp.symbols("N lambda C s zeta p_0", positive=True)
    Pi, Pj, ai, aj, bi, bj = sp.symbols("P_i P_j a_i a_j b_i b_j", positive=True)

    def at(expr, p, a, b):
        return expr.subs({P: p, A: a, B: b}, simultaneous=True)

    print("\n1. Mean-field limit at fixed P = N p")
    # dP_i/dt = N dp_i/dt = N p_i (1-p_i) alpha_z sum_j C_ij r^z_j; one sender term carries weight N * (1/N)
    term_z = n * (Pi / n) * (1 - Pi / n) * ALPHA_Z * n * c * at(rz, Pj / n, aj, bj) / n
    lim_z = sp.factor(sp.limit(n * term_z, n, sp.oo))  # the sum of N such terms = N * mean term
    term_x = ai * (1 - ai) * ALPHA_X * c * at(rx, Pj / n, aj, bj)
    lim_x = sp.factor(sp.limit(n * term_x, n, sp.oo))
    print("  N * (one z-term):", lim_z, "   N * (one x-term):", lim_x)
    check("z: the limit is alpha_z C P_i P_j (a_j - b_j), free of N",
          sp.simplify(lim_z - ALPHA_Z * c * Pi * Pj * (aj - bj)) == 0 and not lim_z.has(n))
    check("x: the limit is alpha_x C a_i (1 - a_i) P_j a_j (1 - a_j), free of N",
          sp.simplify(lim_x - ALPHA_X * c * ai * (1 - ai) * Pj * aj * (1 - aj)) == 0 and not lim_x.has(n))
    corr = sp.factor(sp.limit(n * (n * term_z - lim_z), n, sp.oo))
    check("z: the finite-N term differs from the limit by O(1/N) at fixed P (finite coefficient)",
          corr.is_finite is not False and not corr.has(sp.oo, sp.zoo))

    print("\n2. Local skill")
    ry0 = sp.factor(at(ry, 0, aj, bj))
    print("  r^y at p = 0:", ry0)
    bmax = sp.maximum(ry0, bj, sp.Interval(0, 1))
    check("r^y(p = 0) = b (1 - b), at most 1/4 on [0, 1]", sp.simplify(ry0 - bj * (1 - bj)) == 0 and bmax == sp.Rational(1, 4))
    cy = sp.Symbol("cbar_y", nonnegative=True)
    bound = ALPHA_Y * (n - 1) * cy * bmax
    print("  |change of db_i/dt| <= alpha_y (N - 1) cbar_y max r^y =", bound, " -> negligible iff N cbar_y << 1")

    print("\n3. Initial data")
    P0 = n * 1 / (1 + sp.exp(-(sp.log(p0 / (1 - p0)) + s * zeta)))
    lim0 = sp.simplify(sp.limit(P0.subs(n, lam / p0), p0, 0))
    print("  lim_{p0 -> 0} N sigmoid(logit p0 + s zeta) at N = lambda/p0:", lim0)
    check("P_i(0) -> lambda e^{s zeta_i}: N and p0 enter only through lambda", sp.simplify(lim0 - lam * sp.exp(s * zeta)) == 0)
    ls = sp.Symbol("lambda^*", positive=True)
    slope = sp.simplify(sp.diff(sp.log(ls / p0), p0) * p0)
    check("N* = lambda*/p0 has d ln N*/d ln p0 = -1", slope == -1)

    print("\n4. Self-transfer")
    cz = sp.Symbol("c_z", positive=True)
    rel = sp.simplify((1 + (n - 1) * cz) / (n * cz) - 1)
    print("  homogeneous row sum / (N c_z) - 1 =", rel)
    check("the self-term is a relative correction (1 - c_z)/(N c_z) -> 0", sp.limit(rel, n, sp.oo) == 0)

    print("\n5. Rayleigh bound (2 x 2 symmetric non-negative kernel)")
    k11, k22, k12 = sp.symbols("k11 k22 k12", nonnegative=True)
    K = sp.Matrix([[k11, k12], [k12, k22]])
    mu = max(K.eigenvals(), key=lambda e: e.subs({k11: 1, k22: 1, k12: 1}))
    gap = sp.simplify(mu - (k11 + k22 + 2 * k12) / 2)
    print("  mu_max - mean row sum =", gap)
    root = sp.sqrt((k11 - k22) ** 2 + 4 * k12**2)
    check("mu_max - mean row sum = (sqrt((k11 - k22)^2 + 4 k12^2) - 2 k12)/2 >= 0, zero iff k11 = k22",
          sp.simplify(2 * gap - (root - 2 * k12)) == 0 and sp.expand(root**2 - (2 * k12) ** 2) == sp.expand((k11 - k22) ** 2))
    print("  (N x N: u = 1/sqrt(N) gives u^T K u = mean row sum <= mu_max by Rayleigh; a formal step)")
    check.finish()


if __name__ == "__main__":
    main()
