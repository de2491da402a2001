"""A one-pass prefilter for regex signatures on big inputs (Hyperscan, optional).

On a big log most anchor hits of regex signatures are noise: their anchors are common words ("error",
"fail", an HTTP code) and every such line used to be handed to the regex engine, one Python call each.
With the `hyperscan` wheel installed, every bundled regex signature is compiled into one Hyperscan
database and each block is scanned once; only the lines where a signature's pattern (or a superset of
it) matched go on to ExactTier._verify, which keeps the exact semantics. Without the wheel (other
platforms) or for a paste, nothing here is imported and the anchor path runs as before.

The database pattern is a SUPERSET of the signature regex as _verify runs it, on the normalized block
(lowercased, newlines kept, blank runs not always collapsed, prefixes not removed):
- `^`, `$`, `\\A`, `\\Z`, `\\B` are dropped (normalize_line strips prefixes; after_level looks past a level);
- an atom that can match a blank may also match a run of blanks (normalize_line collapses them), and a
  literal blank or `\\s` may also match a line break (the wrapped retry joins neighbours with a blank);
- `.` and negated classes match no line break, and a repeat of them at most WRAP_JOINS line breaks (what
  a match on joined lines can span), so `error.*failed` does not run across a whole block;
- HS_FLAG_PREFILTER lets Hyperscan widen what it cannot compile exactly; caseless (the text is lowercased).
A pattern that cannot be written this way (a non-ASCII range, a construct left out) stays on the anchor path.

The compiled database is cached (serialized) beside the knowledge cache: the same file rules (a folder the
user owns, no symlinks, atomic writes), its own name and key; anything wrong with the file means a rebuild.
"""

from __future__ import annotations

import re
from pathlib import Path

try:  # the 3.11+ location, then the old one
    import re._constants as _c  # type: ignore[import-not-found]
    import re._parser as _p  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

FORMAT = 3  # bump when the pattern transform changes: the cache key includes it
DISABLED = False  # tests set this to force the anchor path



class Unsupported(ValueError):
    """A pattern the transform does not handle: the signature stays on the anchor path."""


def hs_pattern(pattern: str) -> str:
    """The Hyperscan form of a signature regex (see the module docstring), or Unsupported."""
    try:
        parsed = _p.parse(pattern)
    except (re.error, RecursionError) as exc:
        raise Unsupported(str(exc)) from None
    out = _seq(_trim_tail(list(parsed)))
    if not out:
        raise Unsupported("empty")
    return out


def _trim_tail(items: list) -> list:
    """The pattern without what can follow its shortest match: an optional tail dropped, a repeat at the end
    cut to its least count. Still a superset (every match of the whole has a prefix that matches this), and
    Hyperscan, which reports every end of a match, reports one end per match instead of one per byte of a
    trailing `.*` (a trailing `.*` made most of the events on a big log). The end stays within the whole
    match, so on the same line or, for a wrapped match, within the lines the wrapped retry joins."""
    items = list(items)
    while items:
        op, av = items[-1]
        if op is _c.AT:
            items.pop()
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            lo, _hi, body = av
            if lo == 0:
                items.pop()
            elif lo == 1:
                items[-1:] = _trim_tail(list(body))
                return items
            else:
                items[-1] = (op, (lo, lo, body))
                return items
        elif op is _c.SUBPATTERN:
            inner = _trim_tail(list(av[-1]))
            if not inner:
                items.pop()
            else:
                items[-1] = (op, (*av[:-1], inner))
                return items
        elif op is _c.BRANCH:
            alternatives = [_trim_tail(list(b)) for b in av[1]]
            if not all(alternatives):  # one alternative can match nothing: so can the whole
                items.pop()
            else:
                items[-1] = (op, (av[0], alternatives))
                return items
        else:
            return items
    return items


def _char(c: int, in_class: bool = False) -> str:
    ch = chr(c)
    if ch.isascii() and (ch.isalnum() or ch == "_"):
        return ch
    if c < 0x80:
        return f"\\x{c:02x}"
    low = ch.lower()
    if len(low) != 1:
        raise Unsupported("a character whose lowercase is two")
    # the block text is lowercased by Python; Hyperscan's caseless matching folds the rest (`ς` for `σ`)
    if low == ch:
        return f"\\x{{{c:x}}}"
    if in_class:
        return f"\\x{{{c:x}}}\\x{{{ord(low):x}}}"
    return f"(?:\\x{{{c:x}}}|\\x{{{ord(low):x}}})"


_FOLDS: dict[str, str] | None = None


def _folds() -> dict[str, str]:
    """Lowercase letter -> the other lowercase characters RE2's caseless matching takes for it and Python's
    lower() does not turn into it (`s`: `ſ`, `σ`: `ς`, `μ`: `µ`). Worked out once per process, when a
    database is compiled (~0.3 s), from what RE2 itself accepts. Hyperscan folds a literal the same way,
    not a range or `\\w`: `[a-z]` and `\\w` get the ASCII letters' other forms added (`ſ`)."""
    global _FOLDS
    if _FOLDS is None:
        from .. import regexes

        table: dict[str, set[str]] = {}
        for cp in range(0x80, 0x110000):
            x = chr(cp)
            if x.lower() != x:
                continue  # the block is lowercased: only lowercase (or caseless) forms reach Hyperscan
            up = x.upper()
            base = up.lower() if len(up) == 1 and up != x else x
            if base != x and len(base) == 1:
                table.setdefault(base, set()).add(x)
        _FOLDS = {base: "".join(sorted(x for x in xs if regexes.compile_signature(re.escape(base)).search(x)))
                  for base, xs in table.items()}
        _FOLDS = {k: v for k, v in _FOLDS.items() if v}
    return _FOLDS


_CATEGORY = {
    _c.CATEGORY_DIGIT: "\\d", _c.CATEGORY_NOT_DIGIT: "\\D", _c.CATEGORY_SPACE: "\\s",
    _c.CATEGORY_NOT_SPACE: "\\S", _c.CATEGORY_WORD: "\\w", _c.CATEGORY_NOT_WORD: "\\W",
}
WRAP_JOINS = 4  # line breaks a match can span in the exact tier's wrapped retry (a line and two each side)
MAX_COUNT = 16  # a counted repeat above this is widened (`.{0,400}` -> `.*`): costly to compile, a superset


def _other_forms(letter: str) -> str:
    return "".join(f"\\x{{{ord(x):x}}}" for x in _folds()[letter])


def _range_end(c: int) -> str:
    ch = chr(c)
    return ch if ch.isascii() and ch.isalnum() else f"\\x{c:02x}"


def _class(items) -> tuple[str, str]:
    """A character class: (its Hyperscan text, what it can match of " " and "\\n": a string of those)."""
    negate = False
    parts, probe = [], []
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            parts.append(_char(av, in_class=True))
            probe.append(re.escape(chr(av)))
        elif op is _c.RANGE:
            lo, hi = av
            if hi >= 0x80:
                raise Unsupported("non-ASCII range")
            parts.append(f"{_range_end(lo)}-{_range_end(hi)}")
            probe.append(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
            parts += [_other_forms(x) for x in _folds()
                      if x.isascii() and (lo <= ord(x) <= hi or lo <= ord(x.upper()) <= hi)]
        elif op is _c.CATEGORY:
            if av not in _CATEGORY:
                raise Unsupported(f"category {av}")
            parts.append(_CATEGORY[av])
            probe.append(_CATEGORY[av])
            if av is _c.CATEGORY_WORD:  # RE2's caseless \w takes `ſ` (it folds to `s`)
                parts += [_other_forms(x) for x in _folds() if x.isascii()]
        else:
            raise Unsupported(f"class item {op}")
    body = "".join(parts)
    rx = re.compile(("[^" if negate else "[") + "".join(probe) + "]")
    blanks = "".join(c for c in " \n" if rx.match(c))
    if negate:
        return f"[^{body}\\n]", blanks.replace("\n", "")
    return f"[{body}]", blanks


def _atom(op, av) -> tuple[str, str]:
    """One single-character item: (its text, which of " " and "\\n" it can match)."""
    if op is _c.LITERAL:
        return _char(av), " " if av == 0x20 else ("\n" if av == 0x0A else "")
    if op is _c.NOT_LITERAL:
        return f"[^{_char(av, in_class=True)}\\n]", "" if av == 0x20 else " "
    if op is _c.ANY:
        return "[^\\n]", " "
    if op is _c.IN:
        return _class(av)
    raise Unsupported(f"item {op}")


_SINGLE = (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN)


def _blank_tolerant(text: str, blanks: str, repeated: bool) -> str:
    """One character of a normalized line that is a blank can be a run of blanks in the block (and, for
    a literal blank or `\\s`, a line break the wrapped retry joined with a blank)."""
    if not blanks:
        return text
    if text == "\\x20":
        return "[ \\n]" if repeated else "[ \\n]+"
    if "\n" in blanks:  # `\\s`, `[\\s,]`: they match a line break already
        return text if repeated else f"(?:{text}|[ \\n]+)"
    return text if repeated else f"(?:{text}|[ \\n]+)"


def _seq(items) -> str:
    out = []
    for op, av in items:
        if op in _SINGLE:
            text, blanks = _atom(op, av)
            out.append(_blank_tolerant(text, blanks, repeated=False))
        elif op is _c.AT:
            if av is _c.AT_BOUNDARY:
                out.append("\\b")
            # ^ $ \A \Z \B: dropped (a superset)
        elif op is _c.SUBPATTERN:
            out.append(f"(?:{_seq(list(av[-1]))})")
        elif op is _c.BRANCH:
            out.append("(?:" + "|".join(_seq(list(b)) for b in av[1]) + ")")
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            lo, hi, body = av
            body = list(body)
            if len(body) == 1 and body[0][0] in _SINGLE:
                text, blanks = _atom(*body[0])
                if blanks == " ":  # `.*`, `[^']+`: across at most WRAP_JOINS line breaks (the wrapped retry)
                    out.append(f"(?:{text}*(?:\\n{text}*){{0,{WRAP_JOINS}}})")
                    continue
                inner = _blank_tolerant(text, blanks, repeated=True)
            else:
                inner = _seq(body)
            if not inner:
                continue
            lo = min(lo, MAX_COUNT)
            if hi is not _c.MAXREPEAT and hi > MAX_COUNT:
                hi = _c.MAXREPEAT
            if hi is _c.MAXREPEAT:
                q = "*" if lo == 0 else ("+" if lo == 1 else f"{{{lo},}}")
            elif lo == 0 and hi == 1:
                q = "?"
            elif lo == hi:
                q = f"{{{lo}}}"
            else:
                q = f"{{{lo},{hi}}}"
            out.append(f"(?:{inner}){q}")
        else:
            raise Unsupported(f"item {op}")
    return "".join(out)


# ------------------------------------------------------------------------------------------ database


class Prefilter:
    """Two Hyperscan databases for a big input, each scanned once per block: some regex signatures (as
    supersets, above) over the block, and every anchor key still listened to (pure literals, which compile
    ~40x faster than the same keys as patterns) over the block with its line breaks made blanks, as the
    automaton sees it."""

    def __init__(self, sigs: list[tuple[int, int]], keys: list[int], key_len: list[int], regex_db, literal_db):
        import hyperscan

        self.sigs = sigs  # regex database id -> (entry, signature)
        self.moved = frozenset(sigs)
        self.keys = keys  # literal database id -> the index's key number
        self._key_len = key_len
        self._regex_db, self._literal_db = regex_db, literal_db
        self._regex_scratch = hyperscan.Scratch(regex_db) if regex_db is not None else None
        self._literal_scratch = hyperscan.Scratch(literal_db) if literal_db is not None else None

    def scan(self, t: bytes, start_line: int) -> tuple[list[tuple[int, int, int]], dict[int, list[int]]]:
        """The anchor keys found in block `t` as the automaton gives them ((key, begin, end) by end, the
        longest first among those ending together), and per regex signature (database id) the lines
        (ascending, unique) where its pattern matched."""
        found: list[tuple[int, int, int]] = []
        if self._literal_db is not None:
            keys, key_len = self.keys, self._key_len
            add_key = found.append

            def on_key(i, _from, to, _flags, _ctx):
                add_key((keys[i], to - key_len[i], to))

            self._literal_db.scan(t.replace(b"\n", b" "), match_event_handler=on_key, scratch=self._literal_scratch)
            found.sort(key=_by_end)
        lines: dict[int, list[int]] = {}
        if self._regex_db is None:
            return found, lines
        ends: list[tuple[int, int]] = []
        add = ends.append

        def on_match(i, _from, to, _flags, _ctx):
            add((to, i))

        # without the control characters normalize_line drops (a backspace, a BEL inside a message); the line
        # breaks stay, so lines are counted the same
        t = t.translate(None, _CONTROLS)
        self._regex_db.scan(t, match_event_handler=on_match, scratch=self._regex_scratch)
        ends.sort()
        count = t.count
        pos = 0
        line = start_line
        for to, i in ends:
            end = to - 1 if to else 0  # the match's last byte (a trailing line break counts to its line)
            if end > pos:
                line += count(b"\n", pos, end)
                pos = end
            got = lines.get(i)
            if got is None:
                lines[i] = [line]
            elif got[-1] != line:
                got.append(line)
        return found, lines


_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])  # normalize._CONTROL but \v \f (made blanks)


def _by_end(m: tuple[int, int, int]) -> tuple[int, int]:
    return m[2], m[1]


_LITERAL_FINDERS: dict[tuple[bytes, ...], object] = {}


def literal_finder(literals: tuple[bytes, ...]):
    """A function that gives every occurrence (overlapping) of these byte strings in a text, as
    (literal number, begin, end) in order of end, as Aho-Corasick's overlapping search does; from a
    Hyperscan literal database (~4x faster on a big block), or None without the wheel. Built once per
    process for each tuple of literals."""
    if not available():
        return None
    got = _LITERAL_FINDERS.get(literals)
    if got is None:
        import hyperscan

        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            db.compile(expressions=list(literals), ids=list(range(len(literals))), elements=len(literals),
                       flags=0, literal=True)
        except Exception:  # noqa: BLE001  # hyperscan.error, or an old library without the literal API
            return None
        size = [len(x) for x in literals]

        def got(data: bytes) -> list[tuple[int, int, int]]:
            found: list[tuple[int, int, int]] = []
            add = found.append

            def on(i, _from, to, _flags, _ctx):
                add((i, to - size[i], to))

            db.scan(data, match_event_handler=on, scratch=hyperscan.Scratch(db))  # (~1 us: one per call, per thread)
            return found

        _LITERAL_FINDERS[literals] = got
    return got


def available() -> bool:
    """Is the hyperscan wheel importable here (and not switched off)?"""
    if DISABLED:
        return False
    try:
        import hyperscan  # noqa: F401
    except Exception:  # noqa: BLE001  # missing wheel, a CPU it does not support, a broken install
        return False
    return True


def build(index, wanted, cache_dir: Path | None = None, compile: bool = True) -> Prefilter | None:
    """A prefilter for at least the regex signatures `wanted` of `index` (bundled ones), or None.

    One database per knowledge base is cached: it covers the signatures some earlier big input found noisy
    (each input adds its own when it compiles), and every anchor key that still has listeners. A cached one
    is used as it is when it covers `wanted` or when compiling is not allowed (`compile` False); else the
    union is compiled and replaces it. None when Hyperscan is unusable here or nothing can be built.
    """
    if not available():
        return None
    import hyperscan

    name = f"{PREFIX}{FORMAT}-{_fingerprint(index, hyperscan)}.db"
    path = cache_dir / name if cache_dir is not None else None
    got = _read(path) if path is not None else _MEMO.get(name)
    want = set(wanted)
    if got is not None and (not compile or want <= got[1] | got[2]):
        dbs, sigs, _refused = got
        sigs = sorted(sigs)
    elif compile:
        if got is not None:
            want |= got[1]
        dbs, sigs, refused = _compile_for(index, sorted(want), hyperscan)
        if dbs is None:
            return None
        if path is not None and cache_dir is not None:
            _write(cache_dir, path, dbs, sigs, refused, hyperscan)
        else:  # no cache folder (a library call): kept for the next big input of this process
            if len(_MEMO) >= MEMO_SIZE:
                del _MEMO[next(iter(_MEMO))]
            _MEMO[name] = (dbs, set(sigs), refused)
    else:
        return None
    regex = index.prechecks  # (a key per regex signature)
    if any((ei, si) not in regex for ei, si in sigs):
        return None
    keys = _keys(index, sigs)
    try:
        return Prefilter(sigs, keys, [len(index.keys[ki]) for ki in keys], *dbs)
    except Exception:  # noqa: BLE001
        return None


def _keys(index, sigs) -> list[int]:
    """The anchor keys with a listener other than these signatures (in the database after them)."""
    moved = frozenset(sigs)
    return [ki for ki, refs in enumerate(index.values) if any(r not in moved for r in refs)]


def _fingerprint(index, hyperscan) -> str:
    """What a cached database depends on: this code's format, Hyperscan, every regex and anchor key (the
    index's digest of them, worked out when it was built and cached with it)."""
    import hashlib

    h = hashlib.sha256(f"{FORMAT}\0{getattr(hyperscan, '__version__', '?')}\0".encode())
    digest = index.__dict__.get("regex_digest")
    if type(digest) is not str:  # (an index from elsewhere)
        from .index import _regex_digest

        digest = _regex_digest(index.entries, index.keys)
    h.update(digest.encode())
    return h.hexdigest()[:32]


def _compile_for(index, wanted: list[tuple[int, int]], hyperscan):
    """((regex database, literal database), signatures in the first by id, signatures refused) for these
    regex signatures of `index`; (None, ...) when Hyperscan refuses the literals."""
    sigs, patterns, refused = [], [], set()
    for ei, si in wanted:
        try:
            patterns.append(hs_pattern(index.entries[ei].signatures[si].pattern))
            sigs.append((ei, si))
        except Unsupported:
            refused.add((ei, si))
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_UTF8
    regex_db = _compile(patterns, flags)
    if regex_db is None and patterns:  # Hyperscan refuses some regexes: those stay on the anchor path
        bad = {j for j, p in enumerate(patterns) if _compile([p], flags) is None}
        refused |= {sigs[j] for j in bad}
        sigs = [x for j, x in enumerate(sigs) if j not in bad]
        patterns = [x for j, x in enumerate(patterns) if j not in bad]
        regex_db = _compile(patterns, flags)
        if regex_db is None:
            sigs, refused = [], refused | set(sigs)
    keys = [index.keys[ki] for ki in _keys(index, sigs)]
    literal_db = None
    if keys:
        literal_db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            literal_db.compile(expressions=keys, ids=list(range(len(keys))), elements=len(keys), flags=0,
                               literal=True)
        except Exception:  # noqa: BLE001  # hyperscan.error, or an old library without the literal API
            return None, [], refused
    return (regex_db, literal_db), sigs, refused


def _write(cache_dir: Path, path: Path, dbs, sigs, refused, hyperscan) -> None:
    import json

    from .. import cache

    blobs = [hyperscan.dumpb(db) if db is not None else b"" for db in dbs]
    head = json.dumps({"sigs": sigs, "refused": sorted(refused), "sizes": [len(b) for b in blobs]}).encode()
    try:
        cache.write_file(cache_dir, path, MAGIC + head + b"\n" + b"".join(blobs), prefix=PREFIX)
    except Exception:  # noqa: BLE001  # a cache that cannot be written: run uncached
        pass


PREFIX = "hs-"
MAGIC = b"errdiag-hs\n"
MEMO_SIZE = 2  # databases kept in memory for callers without a cache folder (one per knowledge base)
_MEMO: dict[str, tuple] = {}  # their file name -> what _read gives


def _compile(patterns: list[str], flags: int):
    """The database (ids in order), or None when there is nothing to compile or Hyperscan refuses one."""
    import hyperscan

    if not patterns:
        return None
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(expressions=[p.encode() for p in patterns], ids=list(range(len(patterns))),
                   elements=len(patterns), flags=flags)
    except Exception:  # noqa: BLE001  # hyperscan.error, or anything a broken install raises
        return None
    return db


def _read(path: Path):
    """(database, its signatures, refused signatures) cached at `path`, or None (missing, foreign, corrupt,
    from another Hyperscan: then it is compiled again)."""
    import json

    from .. import cache

    try:
        data = cache.read_file(path)
    except cache.BadCache:
        return None
    head, nl, body = data[len(MAGIC):].partition(b"\n")
    if not data.startswith(MAGIC) or not nl:
        return None
    try:
        import hyperscan

        meta = json.loads(head)
        sigs = {(int(a), int(b)) for a, b in meta["sigs"]}
        refused = {(int(a), int(b)) for a, b in meta["refused"]}
        sizes = [int(n) for n in meta["sizes"]]
        if len(sigs) != len(meta["sigs"]) or len(sizes) != 2 or sum(sizes) != len(body) or not sizes[1]:
            return None
        dbs = tuple(hyperscan.loadb(body[a:a + n], hyperscan.HS_MODE_BLOCK) if n else None
                    for a, n in ((0, sizes[0]), (sizes[0], sizes[1])))
        if (dbs[0] is None) != (not sigs):
            return None
        return dbs, sigs, refused
    except Exception:  # noqa: BLE001  # anything wrong with the file: compile again
        return None
