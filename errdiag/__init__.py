"""errdiag: recognise an error in text or a log and explain it, offline.

    >>> from errdiag import diagnose, load_knowledge
    >>> result = diagnose("fatal: not a git repository (or any of the parent directories): .git",
    ...                   load_knowledge())
"""

__version__ = "0.1.0"

# Imported eagerly: `errdiag.diagnose` must be the function even after the submodule of the same name
# has been imported (a lazy __getattr__ would then hand out the module).
from .diagnose import MIN_CONFIDENCE, diagnose  # noqa: E402
from .errors import ErrdiagError, InputError, KnowledgeError  # noqa: E402
from .kb import KnowledgeBase, load_knowledge  # noqa: E402
from .models import Diagnosis, Entry, Evidence, Result  # noqa: E402

__all__ = [
    "MIN_CONFIDENCE", "Diagnosis", "Entry", "ErrdiagError", "Evidence", "InputError", "KnowledgeBase",
    "KnowledgeError", "Result", "__version__", "diagnose", "load_knowledge",
]
