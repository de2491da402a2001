"""Read one YAML file safely: size-capped, UTF-8 only, no object construction, no aliases, no duplicate
keys; errors name the file and line (and `line_of` finds a field's line for later messages)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import KnowledgeError

MAX_FILE_BYTES = 512 * 1024  # an entry is a few KB; anything this large is a mistake or an attack
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[A-Za-z0-9_-]+")

_LOADER = None


def _strict_loader():
    """A safe loader (no object construction) that also rejects duplicate keys; built on first use."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
            pass

        StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        _LOADER = StrictLoader
    return _LOADER


def _construct_mapping(loader, node, deep=False):
    import yaml

    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        try:
            seen[key] = True
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "unhashable key", key_node.start_mark) from None
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


def read_yaml(path: Path) -> tuple[Any, str]:
    """Load one YAML file safely; errors name the file and line."""
    import yaml

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise KnowledgeError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise KnowledgeError(str(path), f"file is {size} bytes; an entry may be at most {MAX_FILE_BYTES}")
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise KnowledgeError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if "*" in text and "&" in text and _ALIAS.search(text) and _has_alias(text):
        raise KnowledgeError(str(path), "YAML anchors/aliases are not allowed in knowledge files")
    try:
        data = yaml.load(text, Loader=_strict_loader())  # noqa: S506  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise KnowledgeError(str(path), f"invalid YAML: {exc.problem or exc}", line=line) from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(str(path), f"invalid YAML: {exc}") from None
    except RecursionError:
        raise KnowledgeError(str(path), "invalid YAML: nested too deeply") from None
    return data, text


def _has_alias(text: str) -> bool:
    """True when the YAML really uses an alias (`*name`), not just an asterisk inside a string."""
    import yaml

    try:
        return any(isinstance(t, yaml.AliasToken) for t in yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return False  # the parser reports the real problem


def line_of(text: str, *path: str | int) -> int | None:
    """The 1-based line of a field (path of keys/indexes) in a YAML text, for error messages."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    line = k.start_mark.line + 1
                    node = v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line
