"""errdiag: recognise an error in text or a log and explain it, offline.

    >>> from errdiag import diagnose, load_knowledge
    >>> result = diagnose("fatal: not a git repository (or any of the parent directories): .git",
    ...                   load_knowledge())

Names are imported on first use (PEP 562), so `errdiag --help` does not pay for the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

_LAZY = {
    "MIN_CONFIDENCE": "diagnose", "diagnose": "diagnose",
    "ErrdiagError": "errors", "InputError": "errors", "KnowledgeError": "errors",
    "KnowledgeBase": "kb", "load_knowledge": "kb",
    "Diagnosis": "models", "Entry": "models", "Evidence": "models", "Result": "models",
}

__all__ = ["__version__", *sorted(_LAZY)]

if TYPE_CHECKING:  # pragma: no cover
    from .diagnose import MIN_CONFIDENCE, diagnose  # noqa: F401
    from .errors import ErrdiagError, InputError, KnowledgeError  # noqa: F401
    from .kb import KnowledgeBase, load_knowledge  # noqa: F401
    from .models import Diagnosis, Entry, Evidence, Result  # noqa: F401


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'errdiag' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
