"""Bytes -> text for inputs that carry no declared encoding (plain-text dumps, JSONL lines)."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# A fallback decoding is accepted only when charset-normalizer finds it this coherent: above
# this "chaos" (its mess ratio) the result reads as mojibake. 0.1 lets cp1252 and Latin-1 news
# text through and rejects random bytes and broken UTF-8 (measured on hand-made samples in
# tests/ingest/test_decode.py).
MAX_FALLBACK_CHAOS = 0.1

# Single-byte Western encodings that charset-normalizer may name for English text; cp1252 is a
# superset of the printable Latin-1 range and is what Windows-made news dumps use.
_WESTERN = {"cp1250", "cp1252", "latin_1", "iso8859_15", "iso8859_2", "mac_roman"}


# A valid multi-byte UTF-8 sequence: text holding any of these is UTF-8, whatever else is in it.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler: read the offending bytes as Windows-1252 (the usual stray)."""
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("storyline-cp1252", _cp1252_bytes)

_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# UTF-8 with strays: valid multi-byte sequences outnumber stray high bytes by this much.
MIXED_UTF8_RATIO = 3


def _mostly_utf8(data: bytes) -> bool:
    sequences = _UTF8_MULTIBYTE.findall(data)
    in_sequences = sum(len(s) for s in sequences)
    high = len(_HIGH_BYTE.findall(data))
    return bool(sequences) and len(sequences) >= MIXED_UTF8_RATIO * (high - in_sequences)


class UndecodableError(ValueError):
    """The bytes are empty, binary, or not text in any plausible encoding."""


def decode_text(data: bytes) -> str:
    """Decode ``data`` as UTF-8 (BOM-aware), UTF-16 with a BOM, or a confident fallback guess.

    Raises :class:`UndecodableError` with the reason when the bytes are empty, binary (NUL
    bytes without a UTF-16 BOM), or not plausible text in any encoding.
    """
    if not data.strip():
        raise UndecodableError("empty input")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UndecodableError(f"invalid UTF-16 at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise UndecodableError("binary content (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
        # UTF-8 cut inside its last character (a file cut short by size): the text is UTF-8, and
        # a fallback guess would garble all of it to save one character.
        if exc.reason == "unexpected end of data" and exc.end == len(data) and len(data) - exc.start < 4:
            return data[: exc.start].decode("utf-8-sig")
    # UTF-8 text with a stray Windows-1252 byte pasted in (a curly quote from another tool): the
    # UTF-8 is kept and only the stray bytes are read as cp1252, rather than guessing a
    # single-byte encoding that would garble every UTF-8 character.
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="storyline-cp1252").lstrip("\ufeff")
    matches = charset_normalizer.from_bytes(data[:65536])
    guess = matches.best()
    if guess is None or guess.chaos > MAX_FALLBACK_CHAOS:
        raise UndecodableError(
            f"not valid UTF-8 (first bad byte at offset {first_bad}) and no plausible encoding"
        )
    encoding = guess.encoding
    # Short Western text may be named for a DOS or Baltic code page first ("cp775" for a line
    # of French): a Western candidate that reads it just as cleanly is preferred.
    if encoding in _WESTERN or any(m.encoding in _WESTERN and m.chaos <= guess.chaos for m in matches):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise UndecodableError(
            f"not valid UTF-8 (first bad byte at offset {first_bad}) and no plausible encoding"
        ) from None
