"""Bytes to text, refusing what is not text: binary files, empty files, oversized files."""

from __future__ import annotations

import codecs
import re
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


# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# A well-formed UTF-8 multi-byte character; cp1252 text almost never contains one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}")


def _looks_binary(data: bytes, allow_nul: bool = False) -> bool:
    sample = data[:8192]
    if b"\x00" in sample and not allow_nul:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (0, 9, 10, 12, 13))
    if allow_nul:
        control += min(sample.count(0), 8)  # a stray NUL or two costs a line, not the file
    return control > max(8, len(sample) // 50)


def decode_bytes(
    data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, allow_nul: bool = False
) -> Decoded:
    """A byte-order mark decides (UTF-8, UTF-16, UTF-32); else UTF-8, else cp1252 for
    legacy Windows-encoded files. UTF-8 with some broken bytes is refused with the
    position, not decoded as cp1252 into garbled text. ``allow_nul`` (JSONL) lets a
    stray NUL through to be refused line by line."""
    if len(data) == 0:
        raise BadInput("empty file", "0 bytes")
    if len(data) > max_bytes:
        raise BadInput("file too large", f"{len(data)} bytes > limit {max_bytes}")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise BadInput("undecodable bytes", f"{encoding} byte-order mark, but "
                               f"{exc.reason} at byte {exc.start}") from None
    if _looks_binary(data, allow_nul):
        raise BadInput("binary file", "contains NUL or control bytes; not text")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if valid >= 2:
        bad = sum(1 for _ in re.finditer(rb"[\x80-\xFF]", data)) - sum(
            len(m) for m in _UTF8_MULTIBYTE.findall(data))
        raise BadInput(
            "invalid UTF-8",
            f"{utf8_error.reason} at byte {utf8_error.start}; the file also has {valid} "
            f"well-formed UTF-8 characters and about {bad} stray bytes: damaged, or mixed "
            "encodings (re-save it as UTF-8)",
        )
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
