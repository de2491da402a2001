"""Mask secrets before anything is shown: excerpts, captures, JSON, Markdown, annotations, summaries, the
command line `run` echoes, and the example `kb new --from` writes.

Matching runs on the original text (so an invalid_api_key error is still recognised); only what
errdiag prints passes through `redact`, and it runs before lines are cut to their display width (a key
cut at column 300 is still recognised as a key).

Two layers of rules, all RE2 (linear time, so a hostile line cannot make redaction slow):
- errdiag/data/secret_rules.tsv: token shapes and keyword rules converted from gitleaks' rule set
  (see the file's header for the attribution and licence); each runs only when one of its keywords
  occurs in the text;
- the structural rules below, for how secrets appear in error output whatever the vendor: URL
  credentials, query-string signatures, connection strings, command-line flags, `aws configure set`,
  quoted and unquoted assignments, Authorization headers, PEM blocks and bare base64 key bodies.

A value is kept when it is a placeholder or a reference (`$VAR`, `${VAR}`, `%VAR%`, `{{ x }}`, `<x>`,
`***`) or, for loosely-keyed rules, an ordinary word: `NoCredentialsError: Unable to locate credentials`
stays readable.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

MASK = "[REDACTED]"
RULES_FILE = Path(__file__).parent / "data" / "secret_rules.tsv"

# The shape of a keyword rule: a key containing the keyword, an assignment sign, the value.
_ASSIGN = (r"(?i)[\w.-]{{0,50}}?(?:{keys})[\w.-]{{0,20}}['\"]?[ \t]{{0,3}}(?:=|:=|=>|:{{1,3}}|,)[ \t]{{0,5}}"
           r"['\"\x60]?(?P<s>{value})(?:['\"\x60\s;,&)}}\]]|\\[nr]|$)")

_PASSWORD_KEY = r"(?:passw(?:or)?d|passwd|pwd|passphrase|db_pass|_pass\b)"
_SECRET_KEY = (r"(?:secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key|"
               r"signing[_-]?key|encryption[_-]?key|session[_-]?key|client[_-]?secret|account[_-]?key|sas[_-]?key)")
_FLAG_NAMES = (r"(?:password|passwd|pass|pwd|passphrase|token|secret|api[-_]?key|apikey|auth[-_]?token|"
               r"access[-_]?token|refresh[-_]?token|client[-_]?secret|secret[-_]?key|access[-_]?key|"
               r"private[-_]?key|registry[-_]?password|docker[-_]?password|db[-_]?password)")

# (id, regex, how the value must look): "any" masks whatever the group holds (placeholders and
# references aside), "secretish" masks only values that do not read as an ordinary word
_STRUCTURAL: tuple[tuple[str, str, str], ...] = (
    ("url-credentials",
     r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://(?:[^\s:/@'\"<>]*):(?P<s>[^\s/'\"<>]+)@[^\s@/'\"<>:]+", "any"),
    ("url-userinfo-token", r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://(?P<s>[A-Za-z0-9_\-.~%]{16,})@[^\s@/'\"<>]+",
     "secretish"),
    ("url-query-secret",
     r"(?i)[?&](?:sig|signature|x-amz-signature|x-amz-security-token|x-goog-signature|x-goog-credential|"
     r"token|access_token|id_token|refresh_token|api_key|apikey|key|password|passwd|secret|client_secret|"
     r"code|auth)=(?P<s>[^&;\s'\"#<>]+)", "any"),
    ("connection-string",
     r"(?i)(?:^|[;\s'\"])(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|"
     r"SharedSecret|ClientSecret)\s*=\s*(?P<s>[^;\s'\"]+)", "any"),
    ("aws-configure-set",
     r"(?i)\baws\s+configure\s+set\s+(?:[\w.-]+\.)?(?:aws_secret_access_key|aws_session_token|"
     r"aws_access_key_id)\s+(?P<s>\S+)", "any"),
    ("aws-secret-key", r"(?i)aws_?secret_?access_?key['\"]?\s*(?:[:=]|\s)\s*['\"]?(?P<s>[A-Za-z0-9/+=]{40})", "any"),
    ("cli-flag",
     r"(?i)(?:^|[\s'\"])--?" + _FLAG_NAMES + r"(?:=|[ \t]+)(?:\"(?P<s>[^\"\n]+)\"|'(?P<t>[^'\n]+)'|(?P<u>[^\s'\"]+))",
     "flag"),
    ("quoted-assignment",
     r"(?i)[\w.-]{0,40}(?:" + _PASSWORD_KEY + "|" + _SECRET_KEY + r")[\w.-]{0,20}['\"]?[ \t]{0,3}(?:=|:=|=>|:)"
     r"[ \t]{0,3}(?:\"(?P<s>[^\"\n]{1,300})\"|'(?P<t>[^'\n]{1,300})')", "quoted"),
    ("password-assignment",
     r"(?i)[\w.-]{0,40}" + _PASSWORD_KEY + r"[\w.-]{0,20}['\"]?[ \t]{0,3}(?:=|:=|=>)[ \t]{0,3}(?P<s>[^\s'\",;&]+)",
     "any"),
    ("password-colon",
     r"(?i)[\w.-]{0,40}" + _PASSWORD_KEY + r"[\w.-]{0,20}['\"]?:[ \t]{0,3}(?P<s>[^\s'\",;&]+)", "secretish"),
    ("secret-assignment",
     r"(?i)[\w.-]{0,40}" + _SECRET_KEY + r"[\w.-]{0,20}['\"]?[ \t]{0,3}(?:=|:=|=>|:)[ \t]{0,3}['\"]?"
     r"(?P<s>[^\s'\",;}{<>()\[\]]{6,})", "secretish"),
    ("authorization-header",
     r"(?i)\b(?:bearer|token|basic|digest|apikey|api-key)\s+(?P<s>[A-Za-z0-9_\-.=+/~]{12,})", "secretish"),
    ("base64-key-body", r"(?m)^[ \t>|]*(?P<s>[A-Za-z0-9+/]{40,}={0,2})[ \t]*$", "blob"),
)

# Words (lowercase) of which a structural rule cannot match without one: a text holding none of them skips
# the rule, and a paste of one error line compiles none of the big RE2 programs (start-up time). Each gate
# covers one of the literal sets its regex requires (tests/test_redact.py checks it against the regex).
_GATES: dict[str, tuple[str, ...]] = {
    "url-credentials": ("://",),
    "url-userinfo-token": ("://",),
    "url-query-secret": ("sig", "key", "token", "passwd", "password", "secret", "code", "auth", "credential"),
    "connection-string": ("accountkey", "clientsecret", "password", "pwd", "sharedaccess", "sharedsecret"),
    "aws-configure-set": ("configure ",),
    "aws-secret-key": ("secret",),
    "cli-flag": ("access", "api", "client", "pass", "pwd", "private", "refresh", "registry", "secret", "token"),
    "quoted-assignment": ("pass", "access", "account", "api", "auth", "client", "credential", "encryption",
                          "private", "pwd", "sas", "secret", "session", "signing", "token"),
    "password-assignment": ("pass", "pwd"),
    "password-colon": ("pass", "pwd"),
    "secret-assignment": ("access", "account", "api", "auth", "client", "credential", "encryption", "private",
                          "sas", "secret", "session", "signing", "token"),
    "authorization-header": ("api-key", "apikey", "basic", "bearer", "digest", "token"),
}

# a shell/CI variable is one case of letters and underscores ($HOME, $db_pass, ${API_KEY}); `$ecr3tPa55` is
# a password that happens to start with a dollar sign
_REFERENCE = re.compile(
    r"^(?:\$(?:[A-Z_]+|[a-z_]+)|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}|\$\(.*\)|%[A-Za-z_][A-Za-z0-9_]*%|"
    r"\{\{.*\}\}|<[^>]*>|\*+|x{3,}|X{3,}|\.{3,}|…)$")
_WORDS = frozenset({  # values that are words in a message, not secrets
    "none", "null", "nil", "true", "false", "yes", "no", "on", "off", "required", "optional", "empty",
    "missing", "invalid", "incorrect", "wrong", "expired", "revoked", "unknown", "undefined", "default", "not",
    "set", "unset", "provided", "supplied", "given", "changed", "updated", "needed", "denied", "rejected",
    "failed", "failure", "error", "ok", "the", "a", "an", "is", "are", "was", "for", "of", "to", "and", "or",
    "with", "from", "by", "must", "should", "cannot",
})


def _plainish(value: str) -> bool:
    """An ordinary word or phrase (letters, underscores, dots, hyphens only): not worth masking."""
    return bool(re.fullmatch(r"[A-Za-z_.\-]+", value))


def _keep(value: str, how: str) -> bool:
    """True when `value` is not a secret: a placeholder, a reference, or (loosely keyed) a plain word."""
    v = value.strip()
    if not v or v.startswith("[REDACTED") or MASK in v:
        return True
    if _REFERENCE.match(v) or v.lower() in _WORDS:
        return True
    if how == "secretish":
        return _plainish(v) or len(v) < 6
    if how == "flag":
        return v.startswith("-")
    if how == "blob":
        # a bare base64 line is a key body only when it mixes cases and digits (not a word or a hash)
        return not (re.search(r"[a-z]", v) and re.search(r"[A-Z]", v) and re.search(r"[0-9]", v))
    return False


class _Rule:
    __slots__ = ("id", "keywords", "pattern", "how", "_rx", "groups")

    def __init__(self, rule_id: str, keywords: tuple[str, ...], pattern: str, how: str):
        self.id, self.keywords, self.pattern, self.how = rule_id, keywords, pattern, how
        self._rx = None
        self.groups: tuple[int, ...] = ()  # the groups holding the secret (none: the whole match)

    @property
    def rx(self):
        if self._rx is None:
            rx = _compile(self.pattern)
            named = tuple(rx.groupindex[n] for n in ("s", "t", "u") if n in rx.groupindex)
            self.groups = named or ((1,) if rx.groups and self.how == "token" else ())
            self._rx = rx
        return self._rx


def _compile(pattern: str):
    import re2

    opts = re2.Options()
    opts.max_mem = 64 << 20
    return re2.compile(pattern, options=opts)


@lru_cache(maxsize=1)
def rules() -> tuple[_Rule, ...]:
    """Every rule, data-file rules first (specific token shapes), then the structural ones."""
    out: list[_Rule] = []
    for n, line in enumerate(RULES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, rule_id, keys, pattern = line.split("\t")
        keywords = tuple(k for k in keys.split(",") if k)
        if kind == "token":
            out.append(_Rule(rule_id, keywords, pattern, "token"))
        elif kind == "assign":
            value = pattern
            keyalt = "|".join(re.escape(k) for k in keywords)
            out.append(_Rule(rule_id, keywords, _ASSIGN.format(keys=keyalt, value=value), "any"))
        else:
            raise ValueError(f"{RULES_FILE.name}:{n}: unknown kind {kind!r}")
    for rule_id, pattern, how in _STRUCTURAL:
        out.append(_Rule(rule_id, _GATES.get(rule_id, ()), pattern, how))
    return tuple(out)


def redact(text: str) -> str:
    """Replace every secret-looking value in `text` by [REDACTED]."""
    if not text:
        return text
    lowered = text.lower()
    for rule in rules():
        if rule.keywords and not any(k in lowered for k in rule.keywords):
            continue
        new = rule.rx.sub(_masker(rule), text)
        if new != text:
            text = new
            lowered = text.lower()
    return text


def _masker(rule: _Rule) -> Callable:
    how = rule.how

    def mask(m) -> str:
        whole = m.group(0)
        spans = [m.span(g) for g in rule.groups if m.group(g) is not None]
        if not spans:
            return MASK if how == "token" else whole
        off = m.start(0)
        out = whole
        for start, end in sorted(spans, reverse=True):
            value = whole[start - off: end - off]
            if how != "token" and _keep(value, how):
                continue
            out = out[: start - off] + MASK + out[end - off:]
        return out

    return mask
