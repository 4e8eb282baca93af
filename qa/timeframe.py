"""The time a question is about: a year counted from the day it is asked ("last year", "в
прошлом году", "былтыр", "去年"), the newest of several announcements ("latest", "последний",
"соңғы", "最新"), and the years it writes out ("ALT Hack 2025", "2025–2026 оқу жылы").

Retrieval uses it as a preference, never a filter. A written year does not prefer the
announcements *published* that year (that cost recall@5 on the dev set, since an announcement
about spring 2025 may be published in 2024) but holds back those that never speak of it: the
2023 results of a hackathon do not answer a question about its 2025 prize (docs/quality.md).
An announcement speaks of the years it writes out, the year it was published and the years it
names counted from then ("прошлогодней стажировки" in a notice of 2025 is 2024)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

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
    written_years: frozenset[str] = frozenset()  # years the question writes out ("ALT Hack 2025")

    def __bool__(self) -> bool:
        return self.year is not None or self.latest or bool(self.written_years)


_WRITTEN_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def written_years(text: str) -> frozenset[str]:
    """The years a text writes out in figures ("2025", "2025–2026", "2025年")."""
    return frozenset(_WRITTEN_YEAR.findall(text))


# The same announcements come back question after question: each is read once.
@lru_cache(maxsize=4096)
def years_spoken_of(title: str, text: str, published: date | None) -> frozenset[str]:
    """The years an announcement speaks of: those its title and text write out, and, counted
    from the day it was published, the year it came out in and those it names relative to it
    ("по итогам прошлогодней стажировки" in a notice of 2025 speaks of 2024)."""
    years = written_years(title) | written_years(text)
    if published is None:
        return years
    relative = {
        published.year + offset
        for offset, pattern in _RELATIVE_YEARS
        if pattern.search(title) or pattern.search(text)
    }
    return years | {str(year) for year in {published.year, *relative}}


def time_frame(question: str, today: date) -> TimeFrame:
    """What the question says about time; an empty TimeFrame when nothing."""
    written = written_years(question)
    for offset, pattern in _RELATIVE_YEARS:
        match = pattern.search(question)
        if match:
            return TimeFrame(year=today.year + offset, cue=match.group(0), written_years=written)
    latest = _LATEST.search(question)
    # "Во сколько последний шаттл?" asks for the last one of the day, not the newest notice.
    if latest and answer_kind(question) is not AnswerKind.CLOCK:
        return TimeFrame(latest=True, cue=latest.group(0), written_years=written)
    return TimeFrame(written_years=written)
