"""Memory estimates and limits of a simulation, apart from the model so that the command line can
quote them without importing sympy."""

from __future__ import annotations

from workbench._errors import ResourceTooLarge

#: Default limit on the memory one simulation may allocate (bytes); every function that could
#: exceed it takes a ``memory_limit`` parameter.
DEFAULT_MEMORY_LIMIT = 4 * 2**30

#: Arrays of the size of the state (B x 3 x N floats) that an integration keeps at once: the
#: state, the trial state, two derivatives, seven Runge-Kutta stages and temporaries.
WORKING_COPIES = 20


def format_bytes(n: float) -> str:
    """``1.5 GiB``-style text for a byte count."""
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.3g} {unit}"
        n /= 1024.0
    return f"{n:.3g} EiB"  # pragma: no cover


def check_memory(nbytes: float, what: str, memory_limit: float | None = None) -> None:
    """Raise :class:`ResourceTooLarge` before allocating when ``nbytes`` exceeds the limit."""
    limit = DEFAULT_MEMORY_LIMIT if memory_limit is None else memory_limit
    if nbytes > limit:
        exc = ResourceTooLarge(f"{memory_message(what, nbytes, limit)} (raise memory_limit to allow it)")
        exc.what, exc.estimate, exc.limit = what, nbytes, limit  # the command line words its own hint
        raise exc


def memory_message(what: str, nbytes: float, limit: float) -> str:
    return f"{what} would need about {format_bytes(nbytes)} of memory, over the limit of {format_bytes(limit)}"


def resource_hint(exc, hint: str):
    """The same :class:`ResourceTooLarge` with a command-line ``hint`` instead of the library's."""
    if getattr(exc, "estimate", None) is None:
        return exc
    return ResourceTooLarge(f"{memory_message(exc.what, exc.estimate, exc.limit)}; {hint}")


def state_bytes(n_batch: int, n_envs: int) -> float:
    """Working memory of integrating ``n_batch`` systems of ``n_envs`` environments (float64)."""
    return float(WORKING_COPIES) * n_batch * 3 * n_envs * 8
