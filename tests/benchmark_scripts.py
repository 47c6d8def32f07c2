"""Import a script of benchmarks/ by its path: the folder is not a package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def benchmark_script(name: str) -> ModuleType:
    """The module of ``benchmarks/NAME.py``, imported once.

    It is registered in ``sys.modules`` before it runs (its dataclasses look their
    module up there), and benchmarks/ goes at the end of ``sys.path`` for the
    scripts that import one another (at the end, so that its ``search.py`` or
    ``match.py`` never hides an installed module).
    """
    if name in sys.modules:
        return sys.modules[name]
    if str(BENCHMARKS) not in sys.path:
        sys.path.append(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
