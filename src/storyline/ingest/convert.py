"""Raw documents -> Articles: decode, clean, and give each article its content identity."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from storyline.ingest.clean import Cleaned, clean_text, sanitize
from storyline.ingest.decode import UndecodableError, decode_text
from storyline.ingest.files import InputError
from storyline.ingest.html import extract_html, fragment_text
from storyline.ingest.jsonl import parse_record
from storyline.ingest.outlets import canonical_outlet, host_of
from storyline.records import Article, FieldSource, RawDocument

ID_LENGTH = 16  # hex digits of the content hash: 64 bits, no collision expected below ~10^8


def to_article(raw: RawDocument) -> Article:
    """Turn one raw document into a cleaned :class:`Article`.

    Raises :class:`InputError` (with the reason) when no article text can be got out of it.
    """
    stated = dict(raw.meta)
    if raw.media_type == "text/plain":
        cleaned = clean_text(_decode(raw.data), stated=stated)
    elif raw.media_type == "text/html":
        cleaned = extract_html(raw.data, url=stated.get("url"), stated=stated)
    elif raw.media_type == "text/html+fragment":
        cleaned = clean_text(fragment_text(_decode(raw.data)), stated=stated)
    elif raw.media_type == "application/json":
        obj, stand_in = parse_record(raw.data)
        if isinstance(obj.get("html"), str) and obj["html"].strip():
            # JSON may escape lone surrogates ("\ud800"), which UTF-8 cannot encode.
            cleaned = extract_html(sanitize(obj["html"]).encode("utf-8"), url=stated.get("url"), stated=stated)
        else:
            cleaned = clean_text(obj["text"], stated=stated, structured=True)
            if stand_in is not None:
                cleaned.fields["body"] = FieldSource(
                    "inferred", f"the record gives no text: its {stand_in!r} stands for it")
    else:
        raise InputError(f"unsupported media type {raw.media_type!r}")
    if not cleaned.body.strip():
        raise InputError("no article text left after cleaning")
    return _article(raw, cleaned)


def content_hash(body: str) -> str:
    """SHA-256 of the body with case, Unicode forms and whitespace normalised, so that the same
    article read from a text dump and from its HTML page gets the same hash."""
    canon = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", body).casefold()).strip()
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def _decode(data: bytes) -> str:
    try:
        return decode_text(data)
    except UndecodableError as exc:
        raise InputError(str(exc)) from None


def _article(raw: RawDocument, cleaned: Cleaned) -> Article:
    digest = content_hash(cleaned.body)
    url = raw.meta.get("url") or (raw.source if raw.source.startswith(("http://", "https://")) else None)
    # A URL is printed and linked as it is: control characters (terminal escapes) never belong in one.
    url = "".join(sanitize(url).split()) or None if url else None
    # The record's own URL names the outlet; where it is no web address (an id, a path), the
    # address the text opens with does.
    outlet, why = canonical_outlet(cleaned.outlet, url if host_of(url) else cleaned.address)
    if why is not None:
        origin = cleaned.fields["outlet"].origin if cleaned.outlet and "outlet" in cleaned.fields else "inferred"
        cleaned.fields["outlet"] = FieldSource(origin, why)
        cleaned.outlet = outlet
    return Article(
        id=digest[:ID_LENGTH],
        content_hash=digest,
        source=raw.source,
        locator=raw.locator,
        url=url,
        body=cleaned.body,
        title=cleaned.title,
        outlet=cleaned.outlet,
        published=cleaned.published,
        byline=cleaned.byline,
        abstract=cleaned.abstract,
        fields=dict(cleaned.fields),
        cuts=tuple(cleaned.cuts),
        raw=raw.data,
        raw_type=raw.media_type,
        ingested_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
    )

