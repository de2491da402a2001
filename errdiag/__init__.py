"""errdiag: recognise an error in text or a log and explain it, offline.

    >>> from errdiag import diagnose, load_knowledge
    >>> result = diagnose("fatal: not a git repository (or any of the parent directories): .git",
    ...                   load_knowledge())
"""

__version__ = "0.1.0"

# The function `diagnose` lives in the module `engine`: no submodule shares its name.
from .engine import MIN_CONFIDENCE, diagnose  # noqa: E402
from .errors import ErrdiagError, InputError, KnowledgeError  # noqa: E402
from .kb import KnowledgeBase, load_knowledge  # noqa: E402
from .models import Diagnosis, Entry, Evidence, Result  # noqa: E402

__all__ = [
    "MIN_CONFIDENCE", "Diagnosis", "Entry", "ErrdiagError", "Evidence", "InputError", "KnowledgeBase",
    "KnowledgeError", "Result", "__version__", "diagnose", "load_knowledge",
]
