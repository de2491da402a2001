"""Mask secrets before anything is shown: excerpts, captures, JSON, Markdown, annotations, summaries.

Matching runs on the original text (so an invalid_api_key error is still recognised); only what
errdiag prints passes through `redact`.
"""

from __future__ import annotations

import re

MASK = "[REDACTED]"

_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = tuple(
    (name, re.compile(p), group)
    for name, p, group in (
        ("private key", r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)", 0),
        ("anthropic key", r"\bsk-ant-[A-Za-z0-9_\-]{8,}", 0),
        ("openai key", r"\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{16,}", 0),
        ("github token", r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})", 0),
        ("gitlab token", r"\bglpat-[A-Za-z0-9_\-]{20,}", 0),
        ("slack token", r"\bxox[abprse]-[A-Za-z0-9-]{10,}", 0),
        ("slack webhook", r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+", 0),
        ("aws access key", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b", 0),
        ("google api key", r"\bAIza[0-9A-Za-z_\-]{35}\b", 0),
        ("huggingface token", r"\bhf_[A-Za-z0-9]{30,}\b", 0),
        ("stripe key", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b", 0),
        ("jwt", r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}", 0),
        ("bearer token", r"(?i)\b(?:bearer|token)\s+([A-Za-z0-9_\-\.=+/]{16,})", 1),
        ("basic auth", r"(?i)\bbasic\s+([A-Za-z0-9+/=]{16,})", 1),
        ("url password", r"\b[a-z][a-z0-9+.-]*://[^\s:/@'\"]+:([^\s@/'\"]+)@", 1),
        ("aws secret key", r"(?i)aws_?secret_?access_?key['\"]?\s*[:=]\s*['\"]?([A-Za-z0-9/+=]{40})", 1),
        ("secret assignment",
         r"(?i)\b[\w.-]*(?:secret|token|passw(?:or)?d|passwd|pwd|api[_-]?key|apikey|access[_-]?key|"
         r"private[_-]?key|credential|auth)[\w.-]*['\"]?\s*[:=]\s*['\"]?([^\s'\",;}{]{4,})", 1),
    )
)


def redact(text: str) -> str:
    """Replace every secret-looking token by [REDACTED]."""
    if not text:
        return text
    for _name, rx, group in _RULES:
        text = rx.sub(MASK, text) if group == 0 else rx.sub(lambda m, g=group: _mask_group(m, g), text)
    return text


def _mask_group(m: re.Match[str], g: int) -> str:
    value = m.group(g)
    if value.lower() in ("bearer", "basic", "token", "none", "null", "true", "false", "required"):
        return m.group(0)
    if value == MASK or value.startswith("[REDACTED") or value.startswith("<") or value.startswith("$"):
        return m.group(0)
    start, end = m.span(g)
    whole = m.group(0)
    off = m.start(0)
    return whole[: start - off] + MASK + whole[end - off:]
