"""The one place prompts are loaded: ``render(name, **variables)`` over ``prompts/<name>.txt``.

Templates use ``{variable}``; a variable the template needs but the caller does not
give raises ``MissingVariable`` naming it (never a silently blank prompt). The final
newline of a file is dropped so a prompt can end exactly where the answer starts.

    from convrec import prompts
    text = prompts.render("select", dialogue="USER: hi", preferences="none", candidates="A. Alien (1979)")
"""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from convrec import config

PROMPT_DIR = config.REPO_ROOT / "prompts"  # templates ship with the code
SUFFIXES = (".txt", ".jinja")  # searched in this order


class PromptError(LookupError):
    """A prompt template that cannot be found or parsed."""


class MissingVariable(KeyError):
    """A template variable the caller did not supply."""

    def __init__(self, template: str, variable: str):
        super().__init__(f"prompt {template!r} needs variable {variable!r}")
        self.template, self.variable = template, variable

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.args[0]


def path_of(name: str, directory: Path | None = None) -> Path:
    directory = Path(directory or PROMPT_DIR)
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise PromptError(f"bad prompt name {name!r}")
    for suffix in SUFFIXES:
        path = directory / f"{name}{suffix}"
        if path.exists():
            return path
    raise PromptError(f"no prompt named {name!r} in {directory} (looked for {', '.join(name + s for s in SUFFIXES)})")


@lru_cache(maxsize=64)
def _load(path: str) -> str:
    text = Path(path).read_text(encoding="utf-8")
    return text[:-1] if text.endswith("\n") else text


def load(name: str, directory: Path | None = None) -> str:
    """The raw template text."""
    return _load(str(path_of(name, directory)))


def variables(name: str, directory: Path | None = None) -> list[str]:
    """The variable names a template uses, in order of first use."""
    out: list[str] = []
    try:
        parsed = list(string.Formatter().parse(load(name, directory)))
    except ValueError as e:
        raise PromptError(f"prompt {name!r} is malformed: {e}") from None
    for _, field_name, _, _ in parsed:
        if field_name is not None and field_name not in out:
            out.append(field_name)
    return out


def render(name: str, /, directory: Path | None = None, **values) -> str:
    """Fill a template; ``MissingVariable`` if any variable it uses is not given."""
    needed = variables(name, directory)
    for var in needed:
        if not var.isidentifier():
            raise PromptError(f"prompt {name!r} uses a bad variable {{{var}}}")
        if var not in values:
            raise MissingVariable(name, var)
    return load(name, directory).format(**{k: values[k] for k in needed})
