"""Make ``import torch`` / ``import torchvision`` resolve to numtorch.

``numtorch run`` installs this hook before it runs a script, so an unmodified PyTorch
program imports numtorch instead:

    torch, torch.X.Y        ->  numtorch, numtorch.X.Y
    torchvision.X           ->  numtorch.vision.X

The alias is the *same module object* (``torch.nn is numtorch.nn``). A target numtorch
does not have yet raises ModuleNotFoundError naming both modules, so a script's
``try: import torchvision / except ImportError:`` fallback still works.

Only stdlib is imported here; numtorch modules are imported when a script asks for them.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

# alias prefix -> numtorch prefix
ALIASES: dict[str, str] = {
    "torch": "numtorch",
    "torchvision": "numtorch.vision",
}


def target_name(fullname: str) -> str | None:
    """The numtorch module that ``fullname`` stands for, or None if it is no alias.

    >>> target_name("torch.nn.functional"), target_name("torchvision"), target_name("torchaudio")
    ('numtorch.nn.functional', 'numtorch.vision', None)
    """
    top, dot, rest = fullname.partition(".")
    target = ALIASES.get(top)
    if target is None:
        return None
    return target + dot + rest


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system an already imported module instead of making a new one."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.real_spec = module.__spec__

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return self.module

    def exec_module(self, module: ModuleType) -> None:
        # The import system has just set module.__spec__ to the alias's spec; give the
        # module back its own, so numtorch's relative imports and reloads stay right.
        module.__spec__ = self.real_spec


class AliasFinder(importlib.abc.MetaPathFinder):
    """Meta-path finder serving ``torch*`` / ``torchvision*`` imports from numtorch."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        real = target_name(fullname)
        if real is None:
            return None
        try:
            module = importlib.import_module(real)
        except ModuleNotFoundError as e:
            # Only rewrite "numtorch has no such module"; a numtorch module that fails on a
            # missing dependency of its own keeps its original error.
            if e.name is None or not (real == e.name or real.startswith(e.name + ".")):
                raise
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (numtorch has no {real!r} yet)", name=fullname
            ) from None
        loader = _AliasLoader(module)
        return importlib.machinery.ModuleSpec(
            fullname, loader, is_package=hasattr(module, "__path__")
        )


_finder: AliasFinder | None = None


def _is_alias(name: str) -> bool:
    return target_name(name) is not None


def install() -> AliasFinder:
    """Put the alias finder first on ``sys.meta_path`` (idempotent) and return it.

    Must run before anything imports the real torch: an import already in
    ``sys.modules`` never reaches a finder, so that case raises RuntimeError.
    """
    global _finder
    if _finder is not None and _finder in sys.meta_path:
        return _finder
    clash = sorted(
        name
        for name, mod in list(sys.modules.items())
        if _is_alias(name) and mod is not sys.modules.get(target_name(name) or "")
    )
    if clash:
        more = f" and {len(clash) - 3} more" if len(clash) > 3 else ""
        raise RuntimeError(
            f"cannot alias torch to numtorch: {', '.join(clash[:3])}{more} already imported"
        )
    _finder = AliasFinder()
    sys.meta_path.insert(0, _finder)
    return _finder


def uninstall() -> None:
    """Remove the finder and the ``torch*`` / ``torchvision*`` entries it put in sys.modules."""
    global _finder
    if _finder is not None and _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _finder = None
    for name, mod in list(sys.modules.items()):
        if _is_alias(name) and mod is sys.modules.get(target_name(name) or ""):
            del sys.modules[name]
