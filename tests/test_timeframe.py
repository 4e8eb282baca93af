"""Time in questions: relative years counted from the day asked, and "latest", in four languages."""

from __future__ import annotations

import re
from datetime import date

import pytest

from qa.timeframe import TimeFrame, time_frame, years_spoken_of

ASKED = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("When was the hackathon held last year?", 2025),
        ("Когда прошёл хакатон в прошлом году?", 2025),
        ("Былтыр хакатон қашан өтті?", 2025),
        ("Өткен жылы хакатон қашан өтті?", 2025),
        ("去年的黑客马拉松是什么时候举行的？", 2025),
        ("What does the programme cost this year?", 2026),
        ("Биыл құжаттар қашан қабылданады?", 2026),
        ("Сколько мест в этом году?", 2026),
        ("今年本科招生什么时候开始？", 2026),
        ("Will the summer school run next year?", 2027),
        ("Келесі жылы жазғы мектеп бола ма?", 2027),
    ],
)
def test_relative_years_are_counted_from_the_day_asked(question: str, year: int) -> None:
    frame = time_frame(question, ASKED)
    assert frame.year == year and not frame.latest
    assert frame.cue and frame.cue.casefold() in question.casefold()


@pytest.mark.parametrize(
    "question",
    [
        "When was the latest ALT Hack held?",
        "Когда проходил последний хакатон?",
        "Соңғы хакатон қашан өтті?",
        "最新的招生通知是什么？",
    ],
)
def test_latest_asks_for_the_newest(question: str) -> None:
    assert time_frame(question, ASKED) == TimeFrame(
        latest=True, cue=time_frame(question, ASKED).cue
    )
    assert time_frame(question, ASKED).year is None


@pytest.mark.parametrize(
    "question",
    [
        "Во сколько отправляется последний шаттл?",  # the last one of the day
        "What time does the last bus leave the main building?",
        "Соңғы автобус сағат нешеде жүреді?",
        "最后一班车几点出发？",
        "When was the Luban workshop awarded?",
        "鲁班工坊是哪一年授予的？",
    ],
)
def test_questions_without_a_relative_time_have_none(question: str) -> None:
    assert not time_frame(question, ASKED)


@pytest.mark.parametrize(
    ("question", "years", "relative"),
    [
        ("What is the first prize at ALT Hack 2025?", {"2025"}, None),
        ("Когда ALT University получил проект в 2025 году?", {"2025"}, None),
        ("Сколько стоит обучение на 2025–2026 учебный год?", {"2025", "2026"}, None),
        ("2024 жылғы мансап жәрмеңкесі қай күні өтеді?", {"2024"}, None),
        ("2025—2026学年宿舍申请现在截止到哪一天？", {"2025", "2026"}, None),
        ("Былтыр 2023 жылғы хакатонның жүлдесі қанша болды?", {"2023"}, 2025),
    ],
)
def test_years_written_out_are_read_beside_relative_ones(
    question: str, years: set[str], relative: int | None
) -> None:
    frame = time_frame(question, ASKED)
    assert frame.written_years == years
    # A written year is not a relative one: the reply has nothing to say about how it read it.
    assert frame.year == relative


@pytest.mark.parametrize(
    "question",
    ["Сколько стоит звонок на +7 (727) 355-20-25?", "Room 12025 opens at nine"],
)
def test_numbers_that_are_not_years_are_not_read_as_years(question: str) -> None:
    assert not time_frame(question, ASKED).written_years


@pytest.mark.parametrize(
    ("text", "published", "years"),
    [
        ("По итогам прошлогодней стажировки 17 студентов получили предложения.", 2025, {"2024"}),
        ("Былтыр жәрмеңкеге 62 жұмыс беруші қатысты.", 2025, {"2024"}),
        ("Last year 35 clubs took part; next year there will be more.", 2024, {"2023", "2025"}),
        ("去年共有18名交换生来到阿拉木图。", 2024, {"2023"}),
        ("The hackathon will be held from 14 to 16 November 2025.", 2025, {"2025"}),
        ("Приём заявок на 2025–2026 учебный год продлён.", 2025, {"2025", "2026"}),
    ],
)
def test_an_announcement_speaks_of_the_years_it_writes_and_names_from_its_date(
    text: str, published: int, years: set[str]
) -> None:
    spoken_of = years_spoken_of("", text, date(published, 6, 1))
    # The year it came out in counts too: "15 августа" in a notice of 2025 is in 2025.
    assert spoken_of == {*years, str(published)}
    # An undated announcement speaks only of the years it writes out.
    assert years_spoken_of("", text, None) == set(re.findall(r"20\d\d", text))
