"""Loading a bench/ script in a test: the scripts are not a package and import each other by plain name, so bench/
goes on sys.path and the script is loaded from its file under a module name of the test's choosing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def load(script: str, name: str) -> ModuleType:
    """bench/SCRIPT as module NAME (registered in sys.modules before it runs, as dataclasses and pickling need)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
