"""Dates as the university writes them, in four languages, never padded with today's date."""

from __future__ import annotations

import pytest

from ingest.dates import parse_date, parse_partial_date, publication_date_in


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("2025-03-15", None, "2025-03-15"),
        ("2025-03-15T10:00:00+05:00", None, "2025-03-15"),
        ("15.03.2025", None, "2025-03-15"),
        ("03.04.2025", "ru", "2025-04-03"),  # day first, as written in Kazakhstan
        ("15 марта 2025 г.", "ru", "2025-03-15"),
        ("15 марта 2025 года", None, "2025-03-15"),
        ("2025 жылғы 15 наурыз", "kk", "2025-03-15"),
        ("2025 жылғы 15 наурызда", None, "2025-03-15"),
        ("2025 жылдың 1 шілдесі", "kk", "2025-07-01"),
        ("2025 ж. 1 шілде", "kk", "2025-07-01"),
        ("15 наурыз 2025 ж.", "kk", "2025-03-15"),
        ("Сейсенбі, 15 наурыз 2025", None, "2025-03-15"),
        ("March 15, 2025", "en", "2025-03-15"),
        ("15 March 2025", None, "2025-03-15"),
        ("2025年3月15日", "zh", "2025-03-15"),
        ("２０２５年３月１５日", None, "2025-03-15"),
    ],
)
def test_full_dates(value: str, lang: str | None, expected: str) -> None:
    assert parse_date(value, lang) == expected


@pytest.mark.parametrize(
    "value",
    [
        "March 2025",  # no day
        "2025",
        "наурыз 2025",
        "15 марта",  # no year: never filled in from today
        "March 15",
        "вчера",  # relative dates are not metadata
        "2 days ago",
        "1700000000",
        "31.02.2025",
        "2025-13-45",
        "",
        "скоро",
    ],
)
def test_incomplete_or_invalid_dates_give_none(value: str) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-15", "2025-03-15"),
        ("15 марта 2025 г.", "2025-03-15"),
        ("March 2025", "2025-03"),
        ("март 2025", "2025-03"),
        # A month alone takes the prepositional case in Russian: "в феврале 2026 года".
        ("в феврале 2026 года", "2026-02"),
        ("в марте 2025", "2025-03"),
        ("в мае 2025 года", "2025-05"),
        ("в августе 2024", "2024-08"),
        ("наурыз 2025", "2025-03"),
        ("2025 жылғы наурыз", "2025-03"),
        ("2025年3月", "2025-03"),
        ("2025-03", "2025-03"),
        ("2025", "2025"),
        ("2025 год", "2025"),
        ("2025 жыл", "2025"),
        ("2025年", "2025"),
    ],
)
def test_partial_dates_keep_only_what_was_written(value: str, expected: str) -> None:
    assert parse_partial_date(value) == expected


@pytest.mark.parametrize("value", ["15 марта", "March", "сегодня", "hello", ""])
def test_partial_dates_need_a_year(value: str) -> None:
    assert parse_partial_date(value) is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Career Fair 2024\nPublished: 3 April 2024\nOn Thursday…", "en", "2024-04-03"),
        ("Дата публикации: 10 мая 2024 года\n\n17 мая 2024 года…", "ru", "2024-05-10"),
        ("Жарияланған күні: 2024 жылғы 14 қазан\n\nХалықаралық…", "kk", "2024-10-14"),
        ("发布日期：2025年10月20日\n\nALT大学HSK考点…", "zh", "2025-10-20"),
    ],
)
def test_the_publication_line_at_the_top_dates_a_text(text: str, lang: str, expected: str) -> None:
    assert publication_date_in(text, lang) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the day of the event, not of the announcement
        "Open Day\nDate: 30 March 2024\nEveryone is welcome.",
        # a publication line far into the body is about something else
        "Library news\n\n" + "The reading room is open daily. " * 30 + "\nPublished: 1 May 2020",
        # a label without a full date
        "Дата публикации: весна 2024\n\nТекст.",
    ],
)
def test_no_publication_line_means_no_date(text: str) -> None:
    assert publication_date_in(text, "en") is None
