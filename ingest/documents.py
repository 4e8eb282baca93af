"""The two value types the whole data path passes around."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Page:
    """A PDF page: its 1-based number and where it starts in the document text."""

    number: int
    start: int


@dataclass(frozen=True)
class Document:
    """One announcement, normalised: NFC text, clean whitespace, a detected language."""

    id: str
    title: str
    text: str
    url: str | None = None
    date: str | None = None  # ISO 8601 date, "YYYY-MM-DD"
    lang: str = "und"
    category: str | None = None
    source: str = ""  # the file it came from, or "api"
    pages: tuple[Page, ...] = field(default_factory=tuple)

    def content_hash(self) -> str:
        """A hash of everything that ends up in the index, so metadata edits count as changes."""
        payload = asdict(self)
        payload.pop("source")
        blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=list)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def page_at(self, offset: int) -> int | None:
        """The page number holding character `offset`, for documents that have pages."""
        number = None
        for page in self.pages:
            if page.start > offset:
                break
            number = page.number
        return number


@dataclass(frozen=True)
class Chunk:
    """A token-bounded passage of a document; `text == document.text[start:end]`."""

    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class LoadProblem:
    """A file (or one line of a bulk file) that could not be ingested, and why."""

    path: str
    reason: str
