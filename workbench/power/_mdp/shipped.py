"""The MDPs that ship with the package (``mdps/`` in the repository), loaded by name."""

from __future__ import annotations

from importlib import resources

from workbench._errors import DataNotFound
from workbench.power._mdp.mdp import MDP, loads_mdp


def shipped_mdp_names() -> list[str]:
    """Names of the shipped MDPs.

    >>> "wait" in shipped_mdp_names()
    True
    """
    folder = resources.files("workbench.power") / "mdps"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def shipped_mdp(name: str) -> MDP:
    """The shipped MDP ``name`` (for example ``"wait"``, the candy / Wait! MDP of OPTTSP).

    Examples
    --------
    >>> shipped_mdp("wait").n_states
    5
    """
    path = resources.files("workbench.power") / "mdps" / f"{name}.toml"
    if not path.is_file():
        raise DataNotFound(f"no shipped MDP named {name!r}; shipped: {', '.join(shipped_mdp_names())}")
    return loads_mdp(path.read_text(encoding="utf-8"), source=f"mdps/{name}.toml")
