"""Seeded generator of bad ``workbench rs ...`` command lines (flags x adversarial values).

:func:`cli_cases` returns argv lists: a cheap base command (so that a case whose odd value
happens to be valid still finishes quickly) with one to three flags set to values drawn from
adversarial pools (empty, NaN, infinities, overflowing and underflowing numbers, ``1/0``,
enormous exponents and lists, wrong arity, code, oversized expressions, unwritable paths),
sometimes a missing or repeated value. ``{out}`` stands for a scratch directory that the
caller substitutes (the ``--out`` folder of ``rs sweep``). The same seed gives the same cases.
"""

from __future__ import annotations

import random

BAD_NUMBERS = ["", " ", "nan", "NaN", "inf", "-inf", "+inf", "1e999", "-1e999", "1e-999", "-1", "0", "-0", "1/0",
               "0/0", "1e999999999", "-1e999999999", "1e-999999999", "abc", "1e300", "-1e300", "1e-300", "1e-320",
               "1" * 5000, "0." + "0" * 400 + "1", "0x10", "1_0", "1,2", ",", "=", "--", "-", "1/3", "-1/2", "2",
               "1e3", "-1e-3", "1e6", "1e12", "1e15", "1e16", "0.5", "1 2", "1e", "e5", "1..2", "1/2/3", "\u0663",
               "\uff11", "1e+", "True", "None", "[1]", "1j"]
BAD_LISTS = ["", ",", "1,,1", "1,1", "1,1,1,1", "1,nan,1", "1e999,1,1", "1,1,1e999", "-1,1,1", "0,0,0",
             "1e300,1,1", "1e-300,1,1", "1,1,1e-999", "1/0,1,1", ",".join(["1"] * 20001), ",".join(["0.1"] * 3),
             ",".join(["1e999999999"] * 3), "0.1,0.1,0.1", "1,1,1" + ",1" * 200, "a,b,c", "1;1;1", "1 1 1", "-1,-1,-1",
             "1,2,3", "0.5,0.25,1e-12"]
BAD_PRIORS = ["", "0.1,0.1,0.1", "0.1,0.01", "0,0.1,0.2", "1,0.1,0.01", "0.1,0.01,nan", "0.1,0.01,1e-999",
              "0.1,0.01,1e-300", ",".join(["0.1"] * 20001), ",".join(str(10.0 ** -k) for k in range(1, 400)),
              "1e999,0.1,0.01", "0.1,,0.01", "-0.1,0.01,0.001", "0.1,0.01,0.001,0.001", "1/0,0.1,0.2"]
BAD_EXPRESSIONS = ["", " ", "((((((2**64)**64)**64)**64)**64)**64)", "p**1e400", "exp(1000*p)", "sqrt(-1)*p",
                   "log(p-1)", "log(0)*p", "1/p", "p/(a-a)", "p**p", "p**10**10", "(p**8)**16", "2**64**64",
                   "__import__('os').system('echo hacked')", "p.__class__", "lambda: 1", "p if a else b", "[p]",
                   "'s'", "p" * 3000, "(" * 200 + "p" + ")" * 200, "sigmoid(" * 70 + "p" + ")" * 70,
                   "+".join(["p*a"] * 400), "p*1e999999999", "1e-400*p", "sigmoid(", "p a", "q*p", "1", "0",
                   "-p", "p*a + (1-p)*b - 2", "((p+a+b)/3)**64", "(p+a+b)**64", "exp(exp(exp(p)))", "p**(1/3)",
                   "p**-1e3", "x", "z*p", "sqrt(p-2)", "0x10*p", "1_000*p", "p*a*b*" * 300 + "1", "p*(a-cost)+(1-p)*b"]
BAD_PATHS = ["", "/proc/workbench-fuzz.png", "/nonexistent-workbench-dir/x.png", "/", "/dev/null/x.png",
             "fuzz-plot.txt", "fuzz-plot.xyz", "/proc"]
BAD_CHOICES = ["", "bogus", "GRADIENT", "-1", "nan", "gaussian4d,gaussian4d", "gaussian4d,,longtail4d", ","]

KINDS = {"number": BAD_NUMBERS, "list": BAD_LISTS, "priors": BAD_PRIORS, "expr": BAD_EXPRESSIONS,
         "path": BAD_PATHS, "choice": BAD_CHOICES}

_MODEL = {"--x0": "number", "--y0": "number", "--alpha": "list", "--variant": "choice", "--kappa": "number",
          "--cost": "number", "--reward": "expr", "--eps": "number", "--threshold": "number", "--t-max": "number"}
_HOMOGENEOUS = {**_MODEL, "--c": "list", "--rtol": "number"}
_HETERO = {**_MODEL, "--length-scales": "list", "--target-coupling": "number", "--n-ref": "number",
           "--calibration-seed": "number", "--alpha-sigma": "number", "--init-sd": "list", "--integrator": "choice",
           "--dt": "number", "--rtol": "number", "--kernel": "choice", "--cutoff": "number"}

# Each command: a cheap base command line and its flags with the kind of value they take.
COMMANDS = {
    "simulate": (["rs", "simulate"], {**_HOMOGENEOUS, "--p0": "number", "--n": "number", "--criterion": "choice",
                                      "--plot": "path"}),
    "critical": (["rs", "critical", "--n-max", "1e4"], {**_HOMOGENEOUS, "--p0": "number", "--n-max": "number"}),
    "scaling": (["rs", "scaling", "--p0", "0.1,0.05,0.02", "--n-max", "1e3"],
                {**_HOMOGENEOUS, "--p0": "priors", "--n-max": "number", "--plot": "path"}),
    "analyze": (["rs", "analyze", "--json"], {"--variant": "choice", "--kappa": "number", "--cost": "number"}),
    "hetero": (["rs", "hetero", "--geometry", "gaussian4d", "--n", "8"],
               {**_HETERO, "--geometry": "choice", "--n": "number", "--p0": "number", "--seed": "number"}),
    "sweep": (["rs", "sweep", "--geometries", "gaussian4d", "--p0", "0.2", "--seeds", "1", "--n-max", "8",
               "--bootstrap", "100", "--no-reference", "--out", "{out}"],
              {**_HETERO, "--geometries": "choice", "--p0": "priors", "--seeds": "number", "--n-max": "number",
               "--growth": "number", "--rel-tol": "number", "--bootstrap": "number", "--workers": "number",
               "--plot": "path"}),
}


def _value(rng: random.Random, kind: str) -> str:
    if kind != "expr" and rng.random() < 0.15:  # a value of the wrong kind
        kind = rng.choice(sorted(KINDS))
    return rng.choice(KINDS[kind])


def cli_cases(seed: int, count: int) -> list[list[str]]:
    """``count`` adversarial ``workbench rs ...`` argv lists, reproducible from ``seed``."""
    rng = random.Random(seed)
    names = sorted(COMMANDS)
    cases = []
    for _ in range(count):
        base, flags = COMMANDS[rng.choice(names)]
        argv = list(base)
        for flag in rng.sample(sorted(flags), k=min(len(flags), rng.choice((1, 1, 2, 3)))):
            value = _value(rng, flags[flag])
            form = rng.random()
            if form < 0.1:
                argv += [flag]  # the value is missing (or the next flag is taken for it)
            elif form < 0.3:
                argv += [f"{flag}={value}"]
            elif form < 0.35:
                argv += [flag, value, flag, value]  # given twice
            else:
                argv += [flag, value]
        if rng.random() < 0.05:
            argv.insert(rng.randrange(2, len(argv) + 1), rng.choice(["--bogus", "-x", "extra", "--", "-1"]))
        if rng.random() < 0.05:  # flags and values out of order
            tail = argv[2:]
            rng.shuffle(tail)
            argv = argv[:2] + tail
        cases.append(argv)
    return cases
