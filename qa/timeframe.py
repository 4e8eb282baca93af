"""The time a question is about when it does not write it out: a year counted from the day it
is asked ("last year", "в прошлом году", "былтыр", "去年") or the newest of several announcements
("latest", "последний", "соңғы", "最新").

Retrieval uses it as a preference, never a filter. A year written out ("in 2025") is left to
the lexical match, where the number is a shared term: preferring announcements published that
year cost recall@5 on the dev set, since an announcement about spring 2025 may be published in
2024 (docs/quality.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from qa.answer import AnswerKind, answer_kind

# Offsets from the current year, per language. Chinese has no word boundaries.
_RELATIVE_YEARS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        -1,
        re.compile(
            r"\blast year\b|\bprevious year\b|\bв прошлом году\b|\bпрошлогодн|\bв прошлый раз\b"
            r"|\bбылтыр|\bөткен жыл|去年|上一年",
            re.IGNORECASE,
        ),
    ),
    (
        0,
        re.compile(
            r"\bthis year\b|\bв этом году\b|\bв текущем году\b|\bэтого года\b|\bбиыл"
            r"|\bосы жыл|今年|本年",
            re.IGNORECASE,
        ),
    ),
    (
        1,
        re.compile(
            r"\bnext year\b|\bв следующем году\b|\bследующего года\b|\bкелесі жыл|明年",
            re.IGNORECASE,
        ),
    ),
)
_LATEST = re.compile(
    r"\blatest\b|\bmost recent\b|\bnewest\b|\bcurrent\b|\bпоследн|\bсвеж|\bактуальн|\bтекущ"
    r"|\bсоңғы|\bең жаңа|\bқазіргі|最新|最近",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimeFrame:
    year: int | None = None  # the year the question is about
    latest: bool = False  # the question wants the newest announcement
    cue: str = ""  # the words that said so, for the reply's note

    def __bool__(self) -> bool:
        return self.year is not None or self.latest


def time_frame(question: str, today: date) -> TimeFrame:
    """What the question says about time; an empty TimeFrame when nothing."""
    for offset, pattern in _RELATIVE_YEARS:
        match = pattern.search(question)
        if match:
            return TimeFrame(year=today.year + offset, cue=match.group(0))
    latest = _LATEST.search(question)
    # "Во сколько последний шаттл?" asks for the last one of the day, not the newest notice.
    if latest and answer_kind(question) is not AnswerKind.CLOCK:
        return TimeFrame(latest=True, cue=latest.group(0))
    return TimeFrame()
