"""RS4 and RS5: alpha_eff is monotone in N, and the direction N moves the phase-diagram point.

RS4:  d alpha_eff / dN = alpha c >= 0, for alpha_eff = alpha (1 + (N - 1) c) (from RS3).
RS5:  phase-plane point (X, Y) = (log(ax_eff/az_eff), log(ay_eff/az_eff)) (spec section 5):
      dX/dN = (c_x - c_z) / ((1 + (N-1) c_x)(1 + (N-1) c_z)),
      dY/dN = (c_y - c_z) / ((1 + (N-1) c_y)(1 + (N-1) c_z)).
      For c_x >= c_z > c_y: dX/dN >= 0 and dY/dN < 0, i.e. right (or straight down when
      c_x = c_z) and down: towards the bottom right. The limit point as N -> oo is
      (log(c_x a_x / (c_z a_z)), log(c_y a_y / (c_z a_z))), -oo in Y when c_y = 0.
RS5a (beyond the seed): the late-time drift threshold p* = ay_eff/(ax_eff + ay_eff) (RS8)
      decreases in N when c_x > c_y: the asymptotic reward-seeking basin grows with N.
Run: python proofs/monotonicity_direction.py   (exit 0 = every symbolic check passed)
"""

import sympy as sp

from workbench.rs import GradientFlow
from workbench.rs._analysis.checks import SymbolicChecks
from workbench.rs._analysis.drift import late_time_drift
from workbench.rs._analysis.equilibria import ALPHA_X, ALPHA_Y, probability_field


def main():
    check = SymbolicChecks()


    N = sp.Symbol("N", positive=True)
    n1 = sp.Symbol("m", nonnegative=True)  # m = N - 1 >= 0
    az, ax, ay = sp.symbols("alpha_z alpha_x alpha_y", positive=True)
    cz, cx, cy = sp.symbols("c_z c_x c_y", nonnegative=True)


    def eff(al, c):
        return al * (1 + (N - 1) * c)


    print("RS4: alpha_eff(N) = alpha (1 + (N-1) c)")
    d = sp.diff(eff(az, cz), N)
    sp.pprint(sp.Eq(sp.Symbol("d alpha_eff/dN"), d))
    check("d alpha_eff/dN = alpha c is >= 0 for alpha > 0, c >= 0", d.is_nonnegative is True)
    check("strictly increasing when c > 0", d.subs(cz, sp.Symbol("c", positive=True)).is_positive is True)

    print("\nRS5: phase-plane coordinates")
    Xc = sp.log(eff(ax, cx) / eff(az, cz))
    Yc = sp.log(eff(ay, cy) / eff(az, cz))
    dX = sp.factor(sp.simplify(sp.diff(Xc, N)))
    dY = sp.factor(sp.simplify(sp.diff(Yc, N)))
    sp.pprint(sp.Eq(sp.Symbol("dX/dN"), dX))
    sp.pprint(sp.Eq(sp.Symbol("dY/dN"), dY))
    den = lambda ca, cb: (1 + (N - 1) * ca) * (1 + (N - 1) * cb)  # noqa: E731
    check("dX/dN = (c_x - c_z)/((1+(N-1)c_x)(1+(N-1)c_z))", sp.simplify(dX - (cx - cz) / den(cx, cz)) == 0)
    check("dY/dN = (c_y - c_z)/((1+(N-1)c_y)(1+(N-1)c_z))", sp.simplify(dY - (cy - cz) / den(cy, cz)) == 0)
    # Signs for c_x >= c_z > c_y, written with c_x = c_z + u (u >= 0), c_y = k c_z (0 <= k < 1), N = 1 + m.
    u, k = sp.symbols("u k", nonnegative=True)
    czp = sp.Symbol("c_z", positive=True)
    dXs = sp.factor(dX.subs({cx: czp + u, cz: czp, N: 1 + n1}))
    dYs = sp.factor(dY.subs({cy: czp * k, cz: czp, N: 1 + n1}))  # c_y = k c_z with 0 <= k < 1
    print("  with c_x = c_z + u, N = 1 + m:  dX/dN =", dXs)
    print("  with c_y = k c_z,  N = 1 + m:  dY/dN =", dYs)
    check("dX/dN >= 0 when c_x >= c_z", dXs.is_nonnegative is True)
    # k < 1: write k = 1 - v with 0 < v <= 1
    v = sp.Symbol("v", positive=True)
    dYv = sp.factor(dYs.subs(k, 1 - v))
    check("dY/dN < 0 when 0 < c_y < c_z (k = 1 - v with v = 1/(1+q), q > 0)",
          sp.factor(dYv.subs(v, 1 / (1 + sp.Symbol("q", positive=True)))).is_negative is True)
    check("dY/dN < 0 when c_y = 0", sp.factor(dYs.subs(k, 0)).is_negative is True)
    check("dX/dN = 0 when c_x = c_z (the point moves straight down)", sp.simplify(dX.subs(cx, cz)) == 0)
    limX = sp.limit(Xc.subs({cx: sp.Symbol("c_x", positive=True), cz: czp}), N, sp.oo)
    limY0 = sp.limit(Yc.subs({cy: 0, cz: czp}), N, sp.oo)
    print("  N -> oo:  X ->", limX, ",  Y(c_y = 0) ->", limY0)
    check("Y -> -oo as N -> oo when c_y = 0", limY0 == -sp.oo)

    print("\nRS5a: the late-time drift threshold p* of RS8 as a function of N")
    rule = late_time_drift(probability_field(GradientFlow()))
    p_star = rule.p_star.subs({ALPHA_X: eff(ax, cx), ALPHA_Y: eff(ay, cy)})
    sp.pprint(sp.Eq(sp.Symbol("p*(N)"), p_star))
    dp = sp.factor(sp.diff(p_star, N))
    sp.pprint(sp.Eq(sp.Symbol("dp*/dN"), dp))
    dps = sp.factor(dp.subs({cx: cy + sp.Symbol("u", positive=True), N: 1 + n1}))
    check("dp*/dN < 0 when c_x > c_y (written c_x = c_y + u, u > 0)", dps.is_negative is True)

    check.finish()


if __name__ == "__main__":
    main()
