"""Dates written the ways the university writes them, as ISO strings.

Nothing here ever fills a missing part from today's date: a date without a year is no date.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from dateparser.date import DateDataParser

_LANGUAGES = ("ru", "kk", "en", "zh")
_MIN_YEAR, _MAX_YEAR = 1800, 2200

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")

_KAZAKH_MONTHS = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)
_KK_LETTERS = "а-яёәғқңөұүһі"
# dateparser knows the Kazakh month names but not their case endings ("наурызда",
# "шілдесі") nor the year-first order of official Kazakh ("2025 жылғы 15 наурыз").
_KAZAKH_MONTH = re.compile(
    rf"(?<![{_KK_LETTERS}])({'|'.join(_KAZAKH_MONTHS)})[{_KK_LETTERS}]*", re.IGNORECASE
)
_KAZAKH_YEAR_FIRST = re.compile(
    rf"(\d{{4}})\s*(?:жылғы|жылдың|жылы|жыл|жж?\.)?\s*"
    rf"(?:(\d{{1,2}})(?:\s*-\s*[{_KK_LETTERS}]+)?\s+)?({'|'.join(_KAZAKH_MONTHS)})\b",
    re.IGNORECASE,
)


# dateparser reads a Russian month after a day ("10 мая") but not in the prepositional case a
# month alone takes ("в мае 2025 года", "в феврале 2026"): those become the genitive it reads.
_RUSSIAN_GENITIVE_MONTH = {
    "январе": "января",
    "феврале": "февраля",
    "марте": "марта",
    "апреле": "апреля",
    "мае": "мая",
    "июне": "июня",
    "июле": "июля",
    "августе": "августа",
    "сентябре": "сентября",
    "октябре": "октября",
    "ноябре": "ноября",
    "декабре": "декабря",
}
_RUSSIAN_PREPOSITIONAL_MONTH = re.compile(
    r"\b(" + "|".join(_RUSSIAN_GENITIVE_MONTH) + r")\b", re.IGNORECASE
)


def _russian_month_genitive(value: str) -> str:
    return _RUSSIAN_PREPOSITIONAL_MONTH.sub(
        lambda match: _RUSSIAN_GENITIVE_MONTH[match.group(1).lower()], value
    )


def _kazakh_day_first(value: str) -> str:
    value = _KAZAKH_MONTH.sub(lambda match: match.group(1).lower(), value)

    def reorder(match: re.Match[str]) -> str:
        year, day, month = match.group(1), match.group(2), match.group(3)
        return f"{day} {month} {year}" if day else f"{month} {year}"

    return _KAZAKH_YEAR_FIRST.sub(reorder, value)


@lru_cache(maxsize=16)
def _parser(languages: tuple[str, ...], require_day: bool) -> DateDataParser:
    return DateDataParser(
        languages=list(languages),
        settings={
            # Only absolute dates: "вчера" or a Unix timestamp in metadata is not a date
            # anyone wrote on purpose.
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"] if require_day else ["year"],
            # Kazakhstan, Russia and China all write day before month when not year-first.
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
        },
    )


def _languages_for(lang: str | None) -> tuple[str, ...]:
    if lang in _LANGUAGES:
        return (lang, *(code for code in _LANGUAGES if code != lang))
    return _LANGUAGES


def _valid_day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat() if _MIN_YEAR <= year <= _MAX_YEAR else None
    except ValueError:
        return None


def _fast_path(value: str) -> str | None:
    if match := _ISO_DAY.fullmatch(value):
        return _valid_day(*(int(part) for part in match.groups()))
    if match := _ISO_MONTH.fullmatch(value):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and _MIN_YEAR <= year <= _MAX_YEAR:
            return f"{year:04d}-{month:02d}"
    if match := _YEAR.fullmatch(value):
        year = int(match.group(1))
        return f"{year:04d}" if _MIN_YEAR <= year <= _MAX_YEAR else None
    return None


# Answering parses the dates of every sentence it weighs; the same few strings come back often
# and dateparser takes milliseconds each.
@lru_cache(maxsize=4096)
def _parse(value: str, lang: str | None, require_day: bool) -> str | None:
    value = unicodedata.normalize("NFKC", value).strip()
    if not value or len(value) > 200:
        return None
    if (iso := _fast_path(value)) is not None:
        return iso
    if _ISO_DAY.fullmatch(value) or _ISO_MONTH.fullmatch(value) or _YEAR.fullmatch(value):
        return None  # shaped like ISO but out of range: dateparser would only guess
    value = _kazakh_day_first(_russian_month_genitive(value))
    data = _parser(_languages_for(lang), require_day).get_date_data(value)
    if data.date_obj is None:
        return None
    found = data.date_obj
    if not _MIN_YEAR <= found.year <= _MAX_YEAR:
        return None
    if data.period in ("day", "time"):
        return found.date().isoformat()
    if data.period == "month":
        return f"{found.year:04d}-{found.month:02d}"
    return f"{found.year:04d}"


def parse_date(value: str, lang: str | None = None) -> str | None:
    """A full date ("YYYY-MM-DD") from `value`, or None when day, month or year is missing."""
    result = _parse(value, lang, require_day=True)
    return result if result is not None and len(result) == 10 else None


def parse_partial_date(value: str, lang: str | None = None) -> str | None:
    """ "YYYY-MM-DD", "YYYY-MM" or "YYYY", as precise as `value` is; None without a year."""
    return _parse(value, lang, require_day=False)


# The line that says when an announcement was published, as the university's files write it
# at their top ("Published: 3 April 2024", "Дата публикации: 10 мая 2024 года", "Жарияланған
# күні: 2024 жылғы 14 қазан", "发布日期：2025年10月20日"). Only labels that name publication:
# a bare "Date:" at the top of a notice is as often the day of the event.
_PUBLISHED_LINE = re.compile(
    r"^\s*(?:published(?: on)?|publication date|date of publication|posted(?: on)?|"
    r"дата публикации|опубликовано|дата размещения|"
    r"жарияланған күні|жарияланды|жариялану күні|"
    r"发布日期|发布时间|发表日期|发布于)\s*[:：]?\s*(?P<date>[^\n]{4,60}?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# How far into a text its publication line is looked for: past a title and a subtitle, but not
# into the body, where "published" may be about something else.
_PUBLISHED_LINE_WITHIN = 600


def is_publication_line(line: str) -> bool:
    """Whether the line is a publication line ("Дата публикации: 10 мая 2024 года")."""
    match = _PUBLISHED_LINE.fullmatch(line.strip())
    return match is not None and parse_date(match.group("date")) is not None


def publication_date_in(text: str, lang: str | None = None) -> str | None:
    """The full date on the text's publication line near its top, or None."""
    for match in _PUBLISHED_LINE.finditer(text[:_PUBLISHED_LINE_WITHIN]):
        found = parse_date(match.group("date"), lang)
        if found is not None:
            return found
    return None
