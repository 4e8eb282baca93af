"""What the qa service returns; the CLI prints these and the API serialises them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# At or above this calibrated confidence an answer is called "high"; between the configured
# minimum and this, "medium"; below the minimum it is withheld ("low").
HIGH_CONFIDENCE = 0.9


def confidence_band(confidence: float, min_confidence: float) -> Literal["high", "medium", "low"]:
    if confidence >= HIGH_CONFIDENCE:
        return "high"
    return "medium" if confidence >= min_confidence else "low"


@dataclass
class Source:
    """One announcement behind an answer, with the passage that matched."""

    doc_id: str
    chunk_id: int
    title: str
    url: str | None
    date: str | None
    lang: str
    category: str | None
    path: str
    page: int | None
    text: str
    score: float
    # Character ranges inside `text`: the best sentence, then the answer span when there is one.
    highlight: list[list[int]] = field(default_factory=list)
    # An earlier announcement this one changes (a moved deadline): its id, title and date.
    supersedes: dict[str, str | None] | None = None
    # The same announcement in other languages: id, language, title, url of each.
    versions: list[dict[str, str | None]] = field(default_factory=list)

    @property
    def doc_ids(self) -> list[str]:
        """This announcement's id and those of its other language versions."""
        return [self.doc_id, *(str(v["doc_id"]) for v in self.versions)]


@dataclass
class Answer:
    question: str
    answer: str | None
    sentence: str | None
    confidence: float
    mode: str
    question_lang: str
    sources: list[Source]
    message: str | None = None
    # The evidence behind `confidence`, for calibration and for people checking a reply.
    scores: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
