"""Seeded adversarial MDP files for the power-seeking commands (issue 9's bad-input promise).

``mdp_cases(seed, count)`` returns ``count`` cases ``(name, text)``: mutations of the shipped
``mdps/*.toml`` (wrong types, missing keys, bad probabilities, unknown states, duplicate keys,
junk bytes, deep nesting, huge counts, ...), deterministic for a seed. Write a case with
:func:`write_case` (text may carry raw non-UTF-8 bytes as surrogate escapes) and get the four
commands to run on it with :func:`command_lines`. Every command must end with exit code 0 or 2,
one line on stderr for 2, no traceback and no hang.
"""

from __future__ import annotations

import random
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASES = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "mdps").glob("*.toml"))}

# values that must never be accepted as a probability (or anywhere a name is expected)
BAD_VALUES = [
    "nan", "+nan", "-nan", "inf", "-inf", "+inf", "1e400", "-1e400", "1e-400", "1e999999999", '"1e999999999"',
    '"-1e-999999999"', "1" * 5000, "1" * 2000, "-" + "9" * 1200, '"1/0"', '"0/0"', '"abc"', '""', "true", "false",
    "[0.5]", "{ x = 1 }", "1979-05-27", "07:32:00", "0x7fffffffffffffff", "0b1", "0o7", "1_0.0", "-0.0", "0.5e",
    '"1/3e-999"', '"' + "9" * 101 + '"', "-0.5", "1.5", "2", "-1", "0", "1e-1000", '"1e1001"', '"nan"', '"inf"',
    '"0x10"', '" 1/2 "', '"1//2"', "'0.5'",
]


def write_case(path: Path, text: str) -> Path:
    """Write ``text`` as UTF-8; surrogate escapes (``\\udcff``) become raw (invalid) bytes."""
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return path


def _chain(n: int, *, stochastic: bool = False, loop: bool = False) -> str:
    if not stochastic:
        lines = ['name = "chain"', 'start = "s0"', "[states]"]
        lines += [f's{i} = ["s{i + 1}"]' for i in range(n - 1)]
        lines.append(f's{n - 1} = ["{"s0" if loop else f"s{n - 1}"}"]')
        return "\n".join(lines) + "\n"
    lines = ['start = "s0"']
    for i in range(n - 1):
        lines.append(f"[states.s{i}]\ngo = {{ s{i + 1} = 0.5, s{i} = 0.5 }}\njump = {{ s{i + 1} = 1 }}")
    lines.append(f"[states.s{n - 1}]\nstay = {{ s{n - 1} = 1 }}")
    return "\n".join(lines) + "\n"


def _complete(n: int) -> str:
    names = ", ".join(f'"a{j}"' for j in range(n))
    return 'start = "a0"\n[states]\n' + "".join(f"a{i} = [{names}]\n" for i in range(n))


def _ladder(n: int) -> str:
    lines = ['start = "s0"', "[states]"]
    for i in range(n - 1):
        lines.append(f's{i} = ["s{i + 1}", "t{i}"]')
        lines.append(f't{i} = ["t{i}"]')
    lines.append(f's{n - 1} = ["s{n - 1}"]')
    return "\n".join(lines) + "\n"


def _many_actions(k: int) -> str:
    acts = "\n".join(f"a{i} = {{ s = 0.5, t = 0.5 }}" for i in range(k))
    return f'start = "s"\n[states.s]\n{acts}\n[states.t]\nstay = {{ t = 1 }}\n'


def _policies(n: int, k: int) -> str:
    """n states with k actions each: k**n policies."""
    out = ['start = "s0"']
    for i in range(n):
        acts = "\n".join(f"a{j} = {{ s{(i + j + 1) % n} = 0.5, s{i} = 0.5 }}" for j in range(k))
        out.append(f"[states.s{i}]\n{acts}")
    return "\n".join(out) + "\n"


def _nested(depth: int, inline_table: bool = False) -> str:
    if inline_table:
        value = "{ a = " * depth + "1" + " }" * depth
    else:
        value = "[" * depth + "]" * depth
    return f'name = "deep"\nx = {value}\n[states]\ns = ["s"]\n'


def _structural(rng: random.Random) -> tuple[str, str]:
    """Cases built from scratch: sizes, nesting, empty and junk files."""
    choice = rng.randrange(30)
    if choice >= 24:  # numbers are only in stochastic files: put bad ones there often
        name, text = _replace_value(BASES["stochastic"], rng)
        return f"stochastic.{name}", text
    if choice == 0:
        return "empty", ""
    if choice == 1:
        return "whitespace", " \n\t\n"
    if choice == 2:
        return "binary_junk", "".join(chr(0xDC80 + rng.randrange(128)) if rng.random() < 0.5 else chr(rng.randrange(32, 127))
                                      for _ in range(rng.randrange(1, 400)))
    if choice == 3:
        return "nul_bytes", "[states]\ns = [\"s\"]\n" + "\x00" * rng.randrange(1, 50)
    if choice == 4:
        d = rng.choice([31, 32, 33, 100, 5000])
        return f"nested_{d}", _nested(d)
    if choice == 5:
        d = rng.choice([32, 33, 3000])
        return f"nested_inline_{d}", _nested(d, inline_table=True)
    if choice == 6:
        d = rng.choice([3, 40, 2000])
        return f"nested_in_states_{d}", "[states]\ns = " + "[" * d + '"s"' + "]" * d + "\n"
    if choice == 7:
        n = rng.choice([2, 50, 990, 3000, 10_001])
        return f"chain_{n}", _chain(n)
    if choice == 8:
        n = rng.choice([2, 300, 990])
        return f"cycle_{n}", _chain(n, loop=True)
    if choice == 9:
        n = rng.choice([3, 12, 60, 990])
        return f"stochastic_chain_{n}", _chain(n, stochastic=True)
    if choice == 10:
        n = rng.choice([3, 6, 8, 12, 14])
        return f"complete_{n}", _complete(n)
    if choice == 11:
        n = rng.choice([10, 400, 3000])
        return f"ladder_{n}", _ladder(n)
    if choice == 12:
        k = rng.choice([2, 300, 100_001])
        return f"many_actions_{k}", _many_actions(k)
    if choice == 13:
        n, k = rng.choice([3, 6, 15]), rng.choice([2, 3, 5])
        return f"policies_{n}x{k}", _policies(n, k)
    if choice == 14:
        n = rng.choice([20_000, 120_000])
        return f"states_{n}", "[states]\n" + "".join(f's{i} = ["s{i}"]\n' for i in range(n))
    if choice == 15:
        return "long_name", f'name = "{"x" * 300_000}"\n[states]\ns = ["s"]\n'
    if choice == 16:
        return "oversized_file", "# " + "x" * (2 * 1024 * 1024 + 10) + "\n[states]\ns = [\"s\"]\n"
    if choice == 17:
        return "long_successor_list", "[states]\ns = [" + ", ".join(['"s"'] * 50_000) + "]\n"
    if choice == 18:
        return "odd_state_names", '[states]\n"" = ["x"]\n"a\\nb" = ["a\\nb"]\n"\\u0000" = ["\\u0000"]\nx = ["x"]\n'
    if choice == 19:
        return "array_of_tables", "[[states]]\ns = [\"s\"]\n"
    if choice == 20:
        return "states_not_table", rng.choice(["states = 5\n", "states = []\n", 'states = "s"\n', "states = {}\n",
                                              "[states]\n"])
    if choice == 21:
        return "unknown_top_key", '[states]\ns = ["s"]\n[extra]\nx = 1e999999999\n'
    if choice == 22:
        return "comment_brackets", '# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nname = "[[[[{{{{"\n[states]\ns = ["s"]\n'
    return "bom", "\ufeff" + BASES["wait"]


def _replace_value(text: str, rng: random.Random) -> tuple[str, str]:
    """Put a bad value where a probability (or a successor list) stands."""
    value = rng.choice(BAD_VALUES)
    probs = list(re.finditer(r"(=\s*)(\"[0-9/]+\"|[0-9.]+)(?=\s*[,}])", text))
    if probs:
        m = rng.choice(probs)
        return f"bad_probability[{value[:20]}]", text[: m.start(2)] + value + text[m.end(2):]
    lists = list(re.finditer(r"(=\s*)(\[[^\]\n]*\])", text))
    m = rng.choice(lists)
    return f"bad_successors[{value[:20]}]", text[: m.start(2)] + value + text[m.end(2):]


def _mutate(base: str, rng: random.Random) -> tuple[str, str]:
    lines = base.splitlines()
    state_lines = [i for i, line in enumerate(lines) if re.match(r'^"?[\w.]+"?\s*=\s*\[', line) or line.startswith("[states.")]
    choice = rng.randrange(16)
    if choice == 0:
        return _replace_value(base, rng)
    if choice == 1:  # a state disappears: its name becomes an unknown successor
        i = rng.choice(state_lines)
        return "missing_state", "\n".join(lines[:i] + lines[i + 1:]) + "\n"
    if choice == 2:  # the same key twice
        i = rng.choice(state_lines)
        return "duplicate_key", "\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1:]) + "\n"
    if choice == 3:  # an unknown successor
        return "unknown_successor", re.sub(r'\[\s*"', '["ghost", "', base, count=1)
    if choice == 4:  # probabilities that do not sum to one
        return "sum_not_one", re.sub(r"= 0\.5", "= 0.3", base, count=1) if "0.5" in base else base.replace("1/3", "1/4", 1)
    if choice == 5:  # the start state is missing or of the wrong type
        new = rng.choice(['start = "nowhere"', "start = 5", "start = []", 'start = ""', "start = nan"])
        return "bad_start", re.sub(r"^start = .*$", new, base, count=1, flags=re.M)
    if choice == 6:  # name / description of the wrong type
        key = rng.choice(["name", "description"])
        return f"bad_{key}", re.sub(rf"^{key} = .*$", f"{key} = {rng.choice(BAD_VALUES)}", base, count=1, flags=re.M)
    if choice == 7:  # no [states] header
        return "no_states_header", re.sub(r"^\[states.*\]$", "", base, flags=re.M)
    if choice == 8:  # truncated file
        return "truncated", base[: rng.randrange(1, len(base))]
    if choice == 9:  # random byte flips / junk inserted
        chars = list(base)
        for _ in range(rng.randrange(1, 6)):
            chars[rng.randrange(len(chars))] = rng.choice(['"', "[", "]", "{", "}", "=", "\n", "#", "\\", "\udcff", "'", ","])
        return "flipped", "".join(chars)
    if choice == 10:  # a successor list becomes empty
        return "empty_successors", re.sub(r"= \[[^\]\n]*\]", "= []", base, count=1)
    if choice == 11:  # an action table with no successor, or a non-table action
        bad = rng.choice(["{}", "5", '["x"]', "true", '"ghost"'])
        return "bad_action", base + f"\n[states.extra]\ngo = {bad}\n"
    if choice == 12:  # duplicate successor in a list
        return "duplicate_successor", re.sub(r'\[\s*"([^"]+)"', r'["\1", "\1"', base, count=1)
    if choice == 13:  # negative and compensating probabilities
        return "negative_compensated", base + '\n[states.extra]\ngo = { extra = 1.5, start = -0.5 }\n'
    if choice == 14:  # lines shuffled (tables move, keys land in the wrong table)
        rng.shuffle(lines)
        return "shuffled", "\n".join(lines) + "\n"
    return "unicode_names", base.replace('"', '"\u00e9\u4e2d', 2)


def mdp_cases(seed: int, count: int) -> list[tuple[str, str]]:
    """``count`` adversarial MDP files ``(name, text)``, deterministic for ``seed``.

    About a third are built from scratch (:func:`_structural`: sizes, nesting, junk), the rest
    are mutations of a shipped MDP. Names are unique (a running number is appended).
    """
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if rng.random() < 0.35:
            name, text = _structural(rng)
        else:
            base_name = rng.choice(sorted(BASES))
            name, text = _mutate(BASES[base_name], rng)
            name = f"{base_name}.{name}"
        out.append((f"{i:04d}_{name}", text))
    return out


def _guess(text: str):
    """Start state, two actions there and the state count, from a best-effort parse."""
    try:
        data = tomllib.loads(text)
        states = data["states"]
        start = data.get("start") if isinstance(data.get("start"), str) else next(iter(states))
        spec = states[start]
        acts = list(spec) if isinstance(spec, (list, dict)) else [spec]
        acts = [a for a in acts if isinstance(a, str)] or ["x"]
        return start, acts[0], acts[-1], len(states), list(states)
    except Exception:  # a broken file: any flags will do, the file is refused first
        return "start", "a", "b", 3, ["start", "a", "b"]


def command_lines(path, text: str) -> list[list[str]]:
    """The four commands (``mdp show``, ``orbit``, ``power``, ``copies``) for a case file."""
    start, a, b, n, _ = _guess(text)
    # The OS caps one argument at 128 KiB; files above the 10,000-state limit are refused anyway.
    reward = ",".join(str(i % 7) for i in range(min(max(n, 1), 20_000)))
    f = str(path)
    return [
        ["mdp", "show", f],
        ["orbit", f, "--state", start, "--a", a, "--b", b, "--reward", reward],
        ["power", f, "--state", start, "--gamma", "1/2", "--samples", "2000"],
        ["copies", f, "--state", start, "--a", a, "--b", b],
    ]
