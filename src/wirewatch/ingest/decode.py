"""Bytes to text, refusing what is not text: binary files, empty files, oversized files."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class BadInput(ValueError):
    """Input that cannot become an article; ``reason`` is a short machine-friendly code."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class Decoded:
    text: str
    encoding: str


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > max(8, len(sample) // 50)


def decode_bytes(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """UTF-8 first (with or without BOM), then cp1252 for legacy Windows-encoded files."""
    if len(data) == 0:
        raise BadInput("empty file", "0 bytes")
    if len(data) > max_bytes:
        raise BadInput("file too large", f"{len(data)} bytes > limit {max_bytes}")
    if _looks_binary(data):
        raise BadInput("binary file", "contains NUL or control bytes; not text")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise BadInput(
            "undecodable bytes",
            f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and not cp1252",
        ) from None
    return Decoded(text, "cp1252")


def check_text(text: str, max_chars: int = DEFAULT_MAX_BYTES) -> str:
    if not text or not text.strip():
        raise BadInput("empty text", "no text after cleaning")
    if len(text) > max_chars:
        raise BadInput("text too large", f"{len(text)} characters > limit {max_chars}")
    if "\x00" in text:
        raise BadInput("binary content", "text contains NUL characters")
    return text
