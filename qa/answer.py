"""Extractive answering: pick the sentence that answers, then the span the question asks for.

The question's wording (in any of the four languages) says what kind of answer it wants: a time,
a number, a name, or anything else (then the whole sentence is the answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache

from index.lexical import analyze
from ingest.dates import parse_partial_date

_CLOCK_RE = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)")


class AnswerKind(Enum):
    TIME = "time"
    CLOCK = "clock"  # a time of day: "at what time", "во сколько"
    NUMBER = "number"
    NAME = "name"
    SENTENCE = "sentence"


# Words that name a quantity: "what <measure>" asks for a number.
_MEASURES_EN = (
    r"(?:amount|number|size|sum|cost|price|fee|funding|budget|distance|score|speed|prize|"
    r"percentage|share|proportion|rate|interval|salary|discount|increase|capacity)\b"
)
_MEASURES_RU = (
    r"(?:размер|объ[её]м|сумм|стоимост|цен[аы]|величин|дистанци|расстояни|надбавк|скидк|"
    r"процент|балл|рейтинг|GPA|интервал|скорост|бюджет|финансировани|оплат|плат[аы]|"
    r"вместимост)"
)
# Kazakh stems end before a final consonant that changes before a vowel: "қашықтық",
# "қашықтығы".
_MEASURES_KK = r"(?:мөлшер|сома|балл|қашықты|жылдамды|үстеме|жеңілді|пайыз|баға|құн)"

# Question words per language. Chinese has no word boundaries, so its cues match anywhere.
_CUES: dict[AnswerKind, tuple[str, ...]] = {
    AnswerKind.CLOCK: (
        r"\bat what time\b",
        r"\bwhat time\b",
        r"\bво сколько\b",
        r"\bдо скольки\b",
        r"\bс скольки\b",
        r"\bв котором часу\b",
        r"\bсағат нешеде",
        r"\bсағат қаншада",
        r"\bнеше(?:ге|де)\s+дейін",
        r"几点",
    ),
    AnswerKind.TIME: (
        r"\bwhen\b",
        r"\bwhat (?:year|date|day|month)\b",
        r"\bwhich (?:year|date|day|month)\b",
        r"\bby what date\b",
        r"\buntil when\b",
        r"\bdeadline\b",
        r"\bкогда\b",
        r"\bв как(?:ом|ой|ие) (?:году|день|месяце|числа|дату|сроки)\b",
        r"\bкакого числа\b",
        r"\bдо какого\b",
        r"\bс какого\b",
        r"\bкакая дата\b",
        r"\bкрайний срок\b",
        r"\bдедлайн\b",
        r"\bсроки?\b",
        r"\bқашан",
        r"\bқай жыл",
        r"\bқай күн",
        r"\bқай ай",
        r"\bқай уақыт",
        r"\bқандай күн",
        r"\bнешесін",
        r"\bмерзім",
        r"什么时候",
        r"哪一年",
        r"哪年",
        r"何时",
        r"哪天",
        r"哪一天",
        r"几月",
        r"几号",
        r"截止",
        r"日期",
        r"什么日子",
    ),
    AnswerKind.NUMBER: (
        r"\bhow (?:many|much|long)\b",
        r"\bкак долго\b",
        r"多久(?!一次)",  # "多久一次" asks how often
        r"多长时间(?!一次)",
        # "what is the total funding", "what IELTS score", "what top speed"
        rf"\bwhat (?:(?:is|was|are|were) )?(?:the )?(?:\w+ )?{_MEASURES_EN}",
        r"\bсколько\b",
        # "какой общий объём", "какая дистанция", "какой минимальный балл"
        rf"\bкак(?:ой|ая|ое|ую|ов|ова)\s+(?:\w+\s+)?{_MEASURES_RU}",
        r"\bқанша\b",
        r"\bнеше\b",
        rf"\bқандай (?:\w+ )?{_MEASURES_KK}",
        rf"\b{_MEASURES_KK}\w*\s+қандай",  # "қашықтығы қандай": the measure comes first
        r"多少",
        r"(?<!哪)几(?:个|名|位|天|周|次|门|所|项|人|岁|年级|学时|小时|分钟)",
        r"金额",
    ),
    AnswerKind.NAME: (
        r"\bwho\b",
        r"\bwhom\b",
        r"\bкто\b",
        r"\bкем\b",
        r"\bкого\b",
        r"\bкому\b",
        r"\bкім",
        r"谁",
        r"哪位",
    ),
}
_CUE_PATTERNS = {kind: re.compile("|".join(cues), re.IGNORECASE) for kind, cues in _CUES.items()}


# The words that ask for a cause, shared by the two patterns below; Chinese has no word edges.
_WHY_WORDS = r"why|почему|зачем|неге|неліктен"
_WHY_CHINESE = r"为什么|为何"
# Questions asking for a reason or a way want the whole sentence, whatever else they mention.
_REASON = re.compile(
    rf"^\s*(?:{_WHY_WORDS}|{_WHY_CHINESE}|how (?!many|much|long|often)|как (?!долго)|қалай|"
    r"怎么|如何)",
    re.IGNORECASE,
)


# A question that also asks where ("where and when", "где и когда") wants the whole sentence.
_PLACE = re.compile(
    r"\bwhere\b|\bгде\b|\bқайда\b|哪里|在哪(?!一?天|一?年|个月|月|日)|何处|什么地方", re.IGNORECASE
)
# A sentence that names a place: a room, a building, a hall, a square, a street ("в аудитории
# 105", "корпус Б", "бас ғимарат алдындағы алаңда", "in room 318", "考试地点为B楼二层计算机教室").
_NAMES_A_PLACE = re.compile(
    r"\b(?:room|hall|building|auditorium|floor|street|avenue|square|stadium|library|office|"
    r"campus|laborator\w*|gym|canteen|cent(?:er|re))s?\b|"
    r"\b(?:аудитори\w*|ауд\.|кабинет\w*|каб\.|корпус\w*|зал\w*|этаж\w*|площад\w*|двор(?:ец|ца|це)|"
    r"улиц\w*|ул\.|пр\.|проспект\w*|стадион\w*|библиотек\w*|офис\w*|центр\w*|кампус\w*|"
    r"лаборатори\w*|холл\w*)|"
    r"\b(?:қабат\w*|алаң\w*|сарай\w*|көше\w*|даңғыл\w*|кітапхана\w*|кеңсе\w*|"
    r"орталық\w*|ғимарат\w*|жатақхана\w*)|"
    r"教室|楼|厅|礼堂|会议室|广场|体育场|图书馆|办公室|中心|校区|地点",
    re.IGNORECASE,
)


# A question after how often, and a sentence that says it: "every Monday", "каждый
# понедельник", "раз в неделю", "дүйсенбі сайын", "每周一".
_ASKS_FREQUENCY = re.compile(
    r"\bhow (?:often|frequently)\b|\bкак часто\b|\bс какой периодичностью\b|"
    r"\bқаншалықты жиі\b|\bқанша уақыт сайын\b|多久一次|多长时间一次|每隔多久|多频繁",
    re.IGNORECASE,
)
_GIVES_FREQUENCY = re.compile(
    r"\bevery\b|\bdaily\b|\bweekly\b|\bmonthly\b|\byearly\b|\bannually\b|\bonce a\b|"
    r"\btwice a\b|\btimes a\b|\bper (?:day|week|month|year)\b|"
    r"\bкажд(?:ый|ую|ое|ые|ого|ой|ом|ым)\b|\bежедневн\w*|\bеженедельн\w*|\bежемесячн\w*|"
    r"\bежегодн\w*|\bраз в\b|\bраза в\b|\bпо (?:понедельникам|вторникам|средам|четвергам|"
    r"пятницам|субботам|воскресеньям|будням|выходным)\b|"
    r"\bсайын\b|\bкүнделікті\b|\bапталық\b|"
    r"每(?:天|日|周|星期|月|年)|定期",
    re.IGNORECASE,
)


def gives_frequency(sentence: str) -> bool:
    """Whether the sentence says how often: "every Monday", "раз в неделю", "апта сайын", "每周"."""
    return bool(_GIVES_FREQUENCY.search(sentence))


def names_a_place(sentence: str) -> bool:
    """Whether the sentence says where: a room, a building, a hall, a square, a street."""
    return bool(_NAMES_A_PLACE.search(sentence))


# A question after a cause ("why", "почему", "по какой причине", "неге", "не себепті", "为什么").
_ASKS_WHY = re.compile(
    rf"\b(?:{_WHY_WORDS}|for what reason|по какой причине|не себепті|қандай себеппен)\b|"
    rf"{_WHY_CHINESE}|什么原因|原因是",
    re.IGNORECASE,
)
# A sentence that gives a cause: "because of a server upgrade", "связан с переходом", "жөндеуге
# байланысты", "由于系统升级".
_GIVES_REASON = re.compile(
    r"\bbecause\b|\bdue to\b|\bowing to\b|\bcaused by\b|\bas a result of\b|\bthe reason\b|"
    r"\bиз-за\b|\bпотому что\b|\bтак как\b|\bв связи с\b|\bсвязан[аоы]? с\b|\bпо причине\b|"
    r"\bвследствие\b|\bпричин[аойеу]\b|\bсебебі\b|\bсебепті\b|\bбайланысты\b|\bсалдарынан\b|"
    r"\bөйткені\b|因为|由于|原因|鉴于",
    re.IGNORECASE,
)
# A cause that points back at the sentence before ("в связи с этим", "осыған байланысты",
# "because of this") introduces a consequence: the cause is the sentence before.
_POINTS_BACK = re.compile(
    r"\b(?:because of|due to) (?:this|that)\b|\bв связи с (?:этим|чем)\b|\bиз-за этого\b|"
    r"\b(?:осыған|соған) байланысты\b|\b(?:осы|сол) себепті\b",
    re.IGNORECASE,
)


def gives_reason(sentence: str) -> bool:
    """Whether the sentence gives a cause ("because of", "в связи с", "байланысты", "由于"),
    not a consequence of the one before ("осыған байланысты", "в связи с этим")."""
    return bool(_GIVES_REASON.search(_POINTS_BACK.sub(" ", sentence)))


def _wants_whole_sentence(question: str) -> bool:
    return bool(
        _REASON.search(question) or _PLACE.search(question) or _ASKS_FREQUENCY.search(question)
    )


def answer_kind(question: str) -> AnswerKind:
    return _answer_kind(question, _wants_whole_sentence(question))


def _answer_kind(question: str, whole_sentence: bool) -> AnswerKind:
    if whole_sentence:
        return AnswerKind.SENTENCE
    # The earliest cue wins: "сколько дней до …" asks for a number, "когда и сколько" a time.
    positions = {}
    for kind, pattern in _CUE_PATTERNS.items():
        match = pattern.search(question)
        if match:
            positions[kind] = match.start()
    if not positions:
        return AnswerKind.SENTENCE
    return min(positions, key=lambda kind: positions[kind])


_MONTHS = (
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|"
    r"октябр\w*|ноябр\w*|декабр\w*|"
    r"қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*|маусым\w*|шілде\w*|тамыз\w*|"
    r"қыркүйек\w*|қазан\w*|қараша\w*|желтоқсан\w*|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_YEAR = r"(?:19|20)\d\d"
# A Kazakh ordinal suffix after a day ("30-шы тамыз").
_KAZAKH_ORDINAL = r"-(?:ші|шы|і|ы)"
_ORDINAL = rf"(?:{_KAZAKH_ORDINAL})?"
# What joins the first and last of a stretch: inside one date ("14 to 16 November", "22–24
# января", "1–15 тамыз", "14日至16日"), and between two dates or times.
_DASH = r"–|—|-"
_DAYS_TO = rf"{_DASH}|to|по|until"
_CHINESE_DAYS_TO = rf"至|到|{_DASH}"
_DATES_TO = rf"{_DASH}|to|until|till|по|до|至|到"
# Days listed before their month: "9 и 10 февраля", "1, 2 and 7 January", "9 және 10 ақпан".
_DAYS_AND = r"\s*(?:,|\s(?:и|and|және|мен))\s*"
_DAY_LIST = rf"(?:\d{{1,2}}{_DAYS_AND})+"
_DAY_RANGE = rf"(?:\d{{1,2}}\s*(?:{_DAYS_TO})\s*|{_DAY_LIST})?"
_CHINESE_LAST_DAY = rf"(?:\s*(?:{_CHINESE_DAYS_TO})\s*\d{{1,2}}\s*[日号])?"
_DATE_PATTERNS = [
    # Most specific first; the first pattern that matches a stretch of text claims it.
    rf"{_YEAR}-\d\d-\d\d",
    rf"\d{{1,2}}[./]\d{{1,2}}[./]{_YEAR}",
    rf"{_YEAR}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]{_CHINESE_LAST_DAY}",
    rf"{_YEAR}\s*年\s*\d{{1,2}}\s*月",
    rf"\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]{_CHINESE_LAST_DAY}",
    rf"{_YEAR}\s*年",
    rf"{_DAY_RANGE}\d{{1,2}}{_ORDINAL}\s+(?:{_MONTHS})\s+{_YEAR}",
    rf"{_YEAR}\s+(?:жылғы|ж\.)\s+{_DAY_RANGE}\d{{1,2}}{_ORDINAL}\s+(?:{_MONTHS})",
    rf"(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}",
    rf"{_DAY_RANGE}\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})(?:,)?\s+{_YEAR}",
    rf"(?:{_MONTHS})\s+{_YEAR}",
    rf"{_YEAR}\s+(?:жылғы|ж\.)\s+(?:{_MONTHS})",
    rf"{_DAY_RANGE}\d{{1,2}}{_ORDINAL}\s+(?:{_MONTHS})",
    rf"(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b",
    rf"\b{_YEAR}\b",
]
_DATE_RE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS), re.IGNORECASE)
_HAS_YEAR = re.compile(_YEAR)
_FIRST_DAY = re.compile(rf"(?:^|(?<=\s))(\d{{1,2}})\s*(?:{_DAYS_TO})\s*(?=\d)", re.IGNORECASE)
_CHINESE_DAYS = re.compile(
    rf"(\d{{1,2}})\s*([日号])\s*(?:{_CHINESE_DAYS_TO})\s*(\d{{1,2}})\s*[日号]"
)
_LISTED_DAYS = re.compile(rf"(?<!\d)({_DAY_LIST})(?=\d)", re.IGNORECASE)
_DAY = re.compile(r"\d{1,2}")
_ORDINAL_SUFFIX = re.compile(rf"(?<=\d){_KAZAKH_ORDINAL}\b")
# Two dates joined by one of these are one stretch of time ("с 22 июня по 25 августа").
_RANGE_JOIN = re.compile(rf"\s*(?:{_DATES_TO})\s*", re.IGNORECASE)
# So are two dates joined by "and" after "between" ("between 20 June and 25 August", "между 20
# июня и 25 августа") or before the Kazakh "аралығында" ("20 маусым мен 25 тамыз аралығында");
# elsewhere two dates joined by "and" are two days.
_BETWEEN_JOIN = re.compile(r"\s*(?:and|и|мен|және)\s*", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"(?:\bbetween|\bмежду)\s*$", re.IGNORECASE)
_BETWEEN_AFTER = re.compile(r"\s*аралығ", re.IGNORECASE)

# Numbers with optional thousands separators (spaces, thin spaces, commas) and a unit after them.
# A number starts after anything but a letter, digit or point of an alphabetic script:
# Chinese writes numbers straight after a character ("招收25名").
_NOT_AFTER = r"(?<![0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі.])"
# A span of numbers ("5–8 бет") is one answer.
_NUMBER_RE = re.compile(
    rf"{_NOT_AFTER}\d{{1,3}}(?:[  \u202f,]\d{{3}})+(?:[.,]\d+)?(?!\d)"
    rf"|{_NOT_AFTER}\d+(?:[.,]\d+)?(?:\s*[–—-]\s*\d+(?:[.,]\d+)?)?(?!\d)"
)
_CURRENCIES = r"₸|坚戈|тенге|теңге|tenge|KZT|USD|\$|долл\w*|евро|EUR|юан\w*|元"
# A number right after one of these is a house, a room or a building, not an amount:
# "(Жандосов көшесі, 60)", "ул. Жандосова, 60", "room 112", "аудитория 105", "主楼312教室".
_LABELS_A_PLACE = re.compile(
    r"(?:\bкөшесі|\bдаңғылы|\bул\.|\bулица|\bпр\.|\bпроспект|\bstreet|\bavenue|\broom|"
    r"\bаудитори[яи]|\bауд\.|\bкабинет|\bкаб\.|\bкорпус|\bbuilding|\bжатақхана|"
    r"№|\bNo\.|主楼|楼)(?!\w)[\s,.:]*(?:[^\W\d][\w-]*[\s,]+)?$",
    re.IGNORECASE,
)
# "97 Shevchenko Street": the house number before the street's name.
_NAMES_A_STREET = re.compile(r"\s+\w[\w-]*\s+(?:street|avenue|road|st\.|ave\.)", re.IGNORECASE)
_UNIT_LETTERS = "A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
# Units of time in Chinese, which follow a number without a space ("16周", "3个月", "两周").
_CHINESE_TIME_UNITS = "个月|分钟|小时|学时|天|周"
# A unit may be a rate: "300 Mbit/s", "60 км/ч". Chinese counts in tens of thousands: "15万坚戈"
# is 150 000 tenge; its units of time follow the number too ("16周", "120分钟", "3个月").
_UNIT_RE = re.compile(
    rf"\s*(?:%|万(?:坚戈|元)?|亿|{_CURRENCIES}|人|名|{_CHINESE_TIME_UNITS}|个|年|公里|千米|米|"
    rf"[{_UNIT_LETTERS}]+(?:/[{_UNIT_LETTERS}]+)?)"
)
# Two to four capitalised words of one script ("Маркус Фогель", "Markus Vogel"), or a quote.
_NAME_RE = re.compile(
    r"(?:[A-Z][a-z]+\.?\s?){2,4}|(?:[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+\.?\s?){2,4}"
    r"|«[^»]{2,80}»|\"[^\"]{2,80}\""
)
# A year straight after a capitalised name is part of it ("ALT Hack 2025", "Career Fair 2024").
_NAMED_YEAR = re.compile(r"(?:[A-Z][A-Za-z]*\s+){2,}$")
# Two times joined by one of these are opening hours ("сағат 08:00 мен 23:00 аралығында").
_CLOCK_JOIN = re.compile(rf"\s*(?:{_DATES_TO}|and|и|мен)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    value: str


def date_spans(sentence: str, published: date | None = None) -> list[Span]:
    """The dates in `sentence`, each normalised to ISO where it can be: "2025", "2025-11",
    "2025-11-14", or a stretch of days "2025-11-14 – 2025-11-16".

    A date written without its year takes it from a later date in the sentence ("с 22 июня по
    25 августа 2026 года"), else from the announcement's publication day `published`: the
    year that puts it nearest to that day ("30 тамыз" in a notice of August 2024 is 2024-08-30).
    """
    return list(_date_spans(sentence, published))


# Each sentence is asked for its dates by several measures, for question after question.
@lru_cache(maxsize=16384)
def _date_spans(sentence: str, published: date | None) -> tuple[Span, ...]:
    found: list[tuple[re.Match[str], str]] = []
    for match in _DATE_RE.finditer(sentence):
        if not _in_academic_year(sentence, match):  # "2025–2026 учебный год" is a school year
            found.append((match, _ORDINAL_SUFFIX.sub("", match.group(0))))
    spans: list[Span] = []
    for index, (match, text) in enumerate(found):
        later_years = [
            int(year.group(0))
            for _, later in found[index + 1 :]
            if (year := _HAS_YEAR.search(later))
        ]
        value = _normalise_date(text, later_years[0] if later_years else None, published)
        spans.append(Span(match.start(), match.end(), value or text.strip()))
    return tuple(_join_ranges(sentence, spans))


def _normalise_date(text: str, later_year: int | None, published: date | None) -> str | None:
    if listed := _LISTED_DAYS.search(text):  # "9 и 10 февраля 2026" → each of the days
        return _listed_days(
            listed[1],
            _normalise_date(text[: listed.start()] + text[listed.end() :], later_year, published),
        )
    first_day = None
    if days := _CHINESE_DAYS.search(text):
        first_day = int(days.group(1))
        text = text[: days.start()] + days.group(3) + days.group(2) + text[days.end() :]
    elif days := _FIRST_DAY.search(text):
        first_day = int(days.group(1))
        text = text[: days.start()] + text[days.end() :]
    value: str | None
    if _HAS_YEAR.search(text):
        year_only = re.fullmatch(rf"({_YEAR})\s*年?", text.strip())
        value = year_only.group(1) if year_only else parse_partial_date(text)
    elif later_year is not None:
        value = _with_year(text, later_year)
    elif published is not None:
        nearest = [
            (abs((date.fromisoformat(candidate) - published).days), candidate)
            for year in (published.year - 1, published.year, published.year + 1)
            if (candidate := _with_year(text, year)) and _is_day(candidate)
        ]
        value = min(nearest)[1] if nearest else None
    else:
        value = None
    if value is None or first_day is None or not _is_day(value):
        return value
    try:
        first = date.fromisoformat(value).replace(day=first_day).isoformat()
    except ValueError:
        return value
    return f"{first} – {value}" if first < value else value


def _listed_days(listed: str, last: str | None) -> str | None:
    """ "2026-02-09, 2026-02-10" for the days listed ("9 и ") before the last one's date."""
    if last is None or not _is_day(last):
        return last
    try:
        earlier = [
            date.fromisoformat(last).replace(day=int(day)).isoformat()
            for day in _DAY.findall(listed)
        ]
    except ValueError:  # "31 и 1 марта" names no day 31 of March
        return last
    return ", ".join([*earlier, last])


def _with_year(text: str, year: int) -> str | None:
    # Chinese puts the year first ("2025年11月14日"); the other languages after the day.
    if "月" in text:
        return parse_partial_date(f"{year}年{text.strip()}")
    return parse_partial_date(f"{text.strip()} {year}")


def _join_ranges(sentence: str, spans: list[Span]) -> list[Span]:
    joined: list[Span] = []
    for span in spans:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and _joins_a_stretch(sentence, previous, span)
            and _is_day(previous.value)
            and _is_day(span.value)
            and previous.value < span.value
        ):
            joined[-1] = Span(previous.start, span.end, f"{previous.value} – {span.value}")
        else:
            joined.append(span)
    return joined


def _joins_a_stretch(sentence: str, first: Span, last: Span) -> bool:
    between = sentence[first.end : last.start]
    if _RANGE_JOIN.fullmatch(between):
        return True
    return bool(
        _BETWEEN_JOIN.fullmatch(between)
        and (
            _BETWEEN_BEFORE.search(sentence[: first.start])
            or _BETWEEN_AFTER.match(sentence[last.end :])
        )
    )


def _is_day(value: str) -> bool:
    return re.fullmatch(r"\d{4}-\d\d-\d\d", value) is not None


_ACADEMIC_YEAR = re.compile(rf"{_YEAR}\s*[–—/-]\s*{_YEAR}")


def publication_day(value: str | None) -> date | None:
    """The day an announcement was published, from its ISO date ("2025-03" counts as the 1st)."""
    if not value or not re.fullmatch(r"\d{4}-\d\d(?:-\d\d)?", value):
        return None
    try:
        return date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    except ValueError:
        return None


def _in_academic_year(sentence: str, match: re.Match[str]) -> bool:
    if not re.fullmatch(_YEAR, match.group(0)):
        return False
    return any(
        pair.start() <= match.start() < pair.end() for pair in _ACADEMIC_YEAR.finditer(sentence)
    )


def candidate_spans(kind: AnswerKind, sentence: str, published: date | None = None) -> list[Span]:
    """Every part of `sentence` that could answer a question of this kind, normalised (dates
    without a year take it from the publication day `published`)."""
    if kind is AnswerKind.TIME:
        dates = date_spans(sentence, published)
        unnamed = [
            span
            for span in dates
            if not (
                re.fullmatch(r"\d{4}", span.value) and _NAMED_YEAR.search(sentence[: span.start])
            )
        ]
        return (unnamed or dates) + _monthly_days(sentence)
    if kind is AnswerKind.CLOCK:
        return _clock_spans(sentence)
    if kind is AnswerKind.NUMBER:
        taken = date_spans(sentence) + [
            Span(m.start(), m.end(), "") for m in _CLOCK_RE.finditer(sentence)
        ]
        spans = []
        for match in _NUMBER_RE.finditer(sentence):
            if any(t.start <= match.start() < t.end for t in taken):
                continue
            if _LABELS_A_PLACE.search(
                sentence[max(0, match.start() - 30) : match.start()]
            ) or _NAMES_A_STREET.match(sentence, match.end()):
                continue
            end = match.end()
            unit = _UNIT_RE.match(sentence, end)
            if unit:
                end = unit.end()
            spans.append(Span(match.start(), end, sentence[match.start() : end].strip()))
        # A small number written as a word counts only with a unit of time ("three months",
        # "одного рабочего дня", "екі апта", "两周"; alone, "one" and "бір" are as often "a"),
        # and only in a sentence without a number in digits, which is the answer more often.
        return spans or [
            Span(m.start(), m.end(), m.group(0)) for m in _WORD_DURATION_RE.finditer(sentence)
        ]
    if kind is AnswerKind.NAME:
        names = [
            _without_full_stop(m.start(), m.group(0).strip())
            for m in _NAME_RE.finditer(sentence)
            if not (m.start() == 0 and " " not in m.group(0).strip())
        ]
        # "Who" asks for a person: a quoted name is a project's or a faculty's, so it answers
        # only when no person is named.
        people = [span for span in names if span.value[0] not in '«"']
        return people or names
    return []


def _without_full_stop(start: int, name: str) -> Span:
    """The name without the sentence's full stop ("Маркус Фогель."); an initial keeps its
    own ("Vogel M.")."""
    if name.endswith(".") and len(name.rsplit(" ", 1)[-1]) > 2:
        name = name[:-1]
    return Span(start, start + len(name), name)


# A day that comes back every month: "до 25 числа каждого месяца", "айдың 25-іне дейін", "by
# the 25th of each month", "每月25日前" — the answer to "by which day of the month".
_MONTHLY_DAY = re.compile(
    r"\b\d{1,2}(?:-?го)?\s+числа(?:\s+каждого\s+месяца)?|\bайдың\s+\d{1,2}(?:-[а-яәғқңөұүһі]+)?|"
    r"\b(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\s+(?:day\s+)?of\s+(?:each|every|the)\s+month|"
    r"每月\s*\d{1,2}\s*[日号]",
    re.IGNORECASE,
)


def _monthly_days(sentence: str) -> list[Span]:
    return [Span(m.start(), m.end(), m.group(0)) for m in _MONTHLY_DAY.finditer(sentence)]


def _clock_spans(sentence: str) -> list[Span]:
    spans: list[Span] = []
    for match in _CLOCK_RE.finditer(sentence):
        previous = spans[-1] if spans else None
        if previous is not None and _CLOCK_JOIN.fullmatch(sentence[previous.end : match.start()]):
            spans[-1] = Span(previous.start, match.end(), f"{previous.value}–{match.group(0)}")
        else:
            spans.append(Span(match.start(), match.end(), match.group(0)))
    return spans


# A place in a ranking, as prizes and results name it: "first prize", "the winning team",
# "второе место", "бірінші орын", "жеңімпаз", "一等奖", "冠军". An ordinal counts only beside a
# place or a prize: "first-year students", "первый набор", "бірінші курс" rank nothing.
_PLACES = {
    1: re.compile(
        r"\b(?:first|1st)[\s-]+(?:place|prize|position)|\bwinn(?:er|ers|ing)\b|"
        r"\bперв(?:ое|ый|ая|ого|ому|ом|ые|ых)\s+(?:мест|приз|преми)|\bпобедител\w*|"
        r"\bбірінші\s+(?:орын|жүлде)|\bжеңімпаз\w*|一等|第一名|冠军",
        re.IGNORECASE,
    ),
    2: re.compile(
        r"\b(?:second|2nd)[\s-]+(?:place|prize|position)|"
        r"\bвтор(?:ое|ой|ая|ого|ому|ом|ые|ых)\s+(?:мест|приз|преми)|\bекінші\s+(?:орын|жүлде)|"
        r"二等|第二名|亚军",
        re.IGNORECASE,
    ),
    3: re.compile(
        r"\b(?:third|3rd)[\s-]+(?:place|prize|position)|"
        r"\bтрет(?:ье|ий|ья|ьего|ьему|ьем|ьи|ьих)\s+(?:мест|приз|преми)|"
        r"\bүшінші\s+(?:орын|жүлде)|三等|第三名|季军",
        re.IGNORECASE,
    ),
}


def places_named(text: str) -> frozenset[int]:
    """The places of a ranking a text names (1 for "first prize", "the winning team")."""
    return frozenset(place for place, pattern in _PLACES.items() if pattern.search(text))


def extract_span(
    sentence: str,
    wanted: Wanted,
    question_terms: set[str] | None = None,
    lang: str = "und",
    published: date | None = None,
    counted: frozenset[str] = frozenset(),
) -> Span | None:
    """The span that answers what is `wanted`: of several candidates, the one whose own words
    the question shares, above all a number whose unit is the thing counted (the `counted`
    terms in the sentence's language `lang`) or, for a question after a sum of money, a
    currency, or for one after how long, a unit of time, or one beside the place of a ranking
    the question names, in any language ("жеңімпаз" and "for the winning team"); the
    question's names count twice ("со стороны TH Wildau" points at the person named beside
    "TH Wildau", not at the one beside the verb both share).

    A span owns the clause it stands in, between commas, colons, semicolons or brackets
    ("GPA кемінде 3,5", not "айына 80 000 теңге, GPA"; "1 500 000 tenge for the winning
    team"). Within one clause a number owns the words after it, up to the next candidate
    ("12 грантов в докторантуру", not "85 грантов в магистратуру"); a date or time owns the
    words before it ("последний рейс от главного корпуса — в 20:40")."""
    kind = wanted.kind
    spans = candidate_spans(kind, sentence, published)
    if question_terms:
        # What the question itself names ("the 2+2 programme", "in 2024", the faculty «…» whose
        # dean is asked for) is not its answer.
        spans = [s for s in spans if not _named_by(s, kind, question_terms, lang)]
    # A value the sentence gives as the one it replaces ("(ранее — до 10 сентября)") is not
    # the answer while the sentence holds another.
    spans = [s for s in spans if not _is_earlier_value(sentence, s)] or spans
    if len(spans) <= 1 or not question_terms:
        return spans[0] if spans else None

    def owned_words(index: int) -> str:
        if kind is AnswerKind.NUMBER:  # its unit ("124 участника") and the words after it
            end = spans[index + 1].start if index + 1 < len(spans) else len(sentence)
            return sentence[spans[index].start : end]
        start = spans[index - 1].end if index > 0 else 0
        return sentence[start : spans[index].start]

    def shared(text: str) -> int:
        words = set(analyze(text, lang))
        return len(question_terms & words) + len(wanted.names & words)

    def weight(index: int) -> tuple[int, int]:
        span = spans[index]
        clause = _clause_around(sentence, span)
        count = shared(clause)
        if wanted.places & places_named(clause):  # "first prize" → "for the winning team"
            count += 2
        # The unit asked for: "неше компьютер" → "40 компьютер", a currency, a unit of time.
        count += 2 * _asked_units(span, wanted, counted, lang)
        return count, shared(owned_words(index))

    # max() keeps the first of equals: the earliest span wins a tie.
    return spans[max(range(len(spans)), key=weight)]


# Where a clause ends: a comma, colon or semicolon before a space (not "3,5" nor "08:30"), a
# bracket, or their Chinese forms. Not a dash, which joins a thing to its value in Russian
# ("последний рейс от главного корпуса — в 20:40").
_CLAUSE_BREAK = re.compile(r"[,;:](?=\s)|[()（），；：、]")


def _clause_around(sentence: str, span: Span) -> str:
    """The clause the span stands in, the span's own text left out; for a value alone in
    brackets, the words right before them."""
    breaks = list(_CLAUSE_BREAK.finditer(sentence, 0, span.start))
    start = breaks[-1].end() if breaks else 0
    after = _CLAUSE_BREAK.search(sentence, span.end)
    end = after.start() if after else len(sentence)
    clause = sentence[start : span.start] + " " + sentence[span.end : end]
    if not clause.strip() and breaks and breaks[-1].group(0) in "(（":
        named = _NAMED_BEFORE_BRACKET.search(sentence, 0, breaks[-1].start())
        return named.group(0) if named else clause
    return clause


# What a value alone in brackets belongs to: the three words, or four Chinese characters, right
# before them ("оценки за экзамен (40%)", "考试成绩（40%）").
_NAMED_BEFORE_BRACKET = re.compile(
    r"(?:[^\s\u3400-\u9fff]+\s+){0,2}[^\s\u3400-\u9fff]+\s*$|[\u3400-\u9fff]{1,4}\s*$"
)


# Words that mark what follows as a value since replaced: "previously 15 March", "вместо ранее
# объявленных 15–17 января", "бұған дейін 25 қазанға дейін", "原定3月15日".
_EARLIER = re.compile(
    r"(?:\bpreviously|\bformerly|\boriginally|\binstead of|\bранее|\bвместо|\bпрежде|"
    r"\bбұған дейін|\bбұрын|原定|原为|此前)[^.;!?()\d]{0,30}$",
    re.IGNORECASE,
)


# A sentence that changes a value ("reduced from 14 to 7 days", "сокращается с 14 до 7 дней",
# "14 күннен 7 күнге дейін қысқартылады", "由14天缩短为7天") gives the old one after "from".
_CHANGES = re.compile(
    r"\b(?:reduc|increas|extend|chang|shorten|lengthen|rais|cut)\w*|"
    r"\b(?:сокра|увелич|продл|измен|повыш|сниж|уменьш)\w*|"
    r"\b(?:қысқар|ұлғай|ұзар|өзгер|артт|азай)\w*|缩短|延长|增加|调整|改为|提高|减少|降低",
    re.IGNORECASE,
)
_FROM_BEFORE = re.compile(r"(?:\bfrom|\bс|\bсо|从|由)\s*$", re.IGNORECASE)
# The Kazakh ablative ends the old value's own word: "14 күннен".
_FROM_AFTER = re.compile(r"(?:[нтд][еа]н|[нтд]ан)$", re.IGNORECASE)


def _is_earlier_value(sentence: str, span: Span) -> bool:
    if _EARLIER.search(sentence[max(0, span.start - 45) : span.start]):
        return True
    if not _CHANGES.search(sentence):
        return False
    return bool(
        _FROM_BEFORE.search(sentence[max(0, span.start - 6) : span.start])
        or _FROM_AFTER.search(sentence[span.start : span.end])
    )


# A question after a limit: a deadline or a closing time ("until when", "до какого числа",
# "қашанға дейін", "截止到哪一天"), or when something ends ("когда заканчивается приём",
# "қашан аяқталады", "什么时候结束"), which a date marked "until" answers.
_ASKS_LIMIT = re.compile(
    r"\bdeadline\b|\buntil when\b|\bby when\b|\bby (?:what|which) (?:date|day|time)\b|\bдо как|"
    r"\bдо скольки\b|\bкрайний срок|\bдедлайн|дейін|截止|之前|以前|(?:几号|哪天|哪一天)前|"
    r"\bends?\b|\bfinish|\bзаканчива|\bзакончи|\bзаверша|\bаяқтал|\bбітеді|\bбітетін|结束",
    re.IGNORECASE,
)
# A date or time a sentence marks as a limit: "until", "by", "до", "не позднее", "至" before it,
# "дейін" (after a case ending) or "前" after it.
_LIMIT_BEFORE = re.compile(
    r"(?:\buntil|\bby|\bbefore|\bno later than|\bдо|\bне позднее|截止到?|至)\s*$", re.IGNORECASE
)
_LIMIT_AFTER = re.compile(r"^\S{0,5}\s*дейін|^\s*(?:前|之前|以前|为止)", re.IGNORECASE)

# A question after a sum of money ("how much does it cost", "сколько стоит", "қанша тұрады",
# "多少奖金"); a number's unit (`_UNIT_RE`) says whether it is one.
_ASKS_MONEY = re.compile(
    r"\bcosts?\b|\bprice\b|\bfee\b|\bbonus\b|\bprize\b|\bpaid\b|\bpay\b|"
    r"\bстои|\bстоимост|\bцен[аы]\b|\bплат|\bприз|\bпреми|\bбонус|\bсумм|"
    r"\bқұн|\bтұрад|\bбағас|\bжүлде|\bсыйақы|\bтөле|"
    r"多少钱|费用|奖金|价格|学费|补助|报名费",
    re.IGNORECASE,
)
_CURRENCY = re.compile(_CURRENCIES, re.IGNORECASE)
# A question after how long something lasts or takes ("how long", "сколько времени", "как
# долго", "қанша уақыт", "多久"), and the units of time that answer it ("15 minutes", "3 рабочих
# дня", "7 күнге", "16周").
_ASKS_DURATION = re.compile(
    r"\bhow long\b|\bсколько времени\b|\bкак долго\b|\bқанша уақыт(?! сайын)|多久(?!一次)|"
    r"多长时间(?!一次)",
    re.IGNORECASE,
)
_TIME_UNITS = (
    r"minutes?|mins?|hours?|days?|weeks?|months?|years?|"
    r"минут\w*|час(?:а|ов)?|сут(?:ки|ок)|дн(?:я|ей)|день|недел\w*|месяц\w*|год\w*|лет|"
    r"сағат\w*|күн\w*|апта\w*|ай\w*|жыл\w*"
)
_DURATION_UNIT = re.compile(rf"\b(?:{_TIME_UNITS})\b|{_CHINESE_TIME_UNITS}", re.IGNORECASE)
# A question that names a measure asks for a number in its units: "how much does it cost" and
# "1 500 теңге", "how long" and "15 minutes", "what distance" and "3 км", "what top speed" and
# "300 Mbit/s", "what share" and "40%". Each measure: the question's words for it, and the
# units that answer it.
_MEASURES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "money": (_ASKS_MONEY, _CURRENCY),
    "duration": (_ASKS_DURATION, _DURATION_UNIT),
    "distance": (
        re.compile(r"\bdistance\b|\bhow far\b|дистанци|расстояни|қашықты|距离|多远", re.I),
        re.compile(
            r"\b(?:km|m|kilomet\w*|met(?:er|re)s?|км|м|километр\w*|метр\w*|шақырым\w*)\b|"
            r"公里|千米|米",
            re.I,
        ),
    ),
    "speed": (
        re.compile(r"\bspeed\b|\bhow fast\b|скорост|жылдамды|速度|网速", re.I),
        re.compile(r"/(?:s|с|h|ч|сек|сағ)\b|бит|bit|байт|byte", re.I),
    ),
    "share": (
        re.compile(
            r"\bpercent|\bwhat (?:share|part|proportion)\b|процент|\bдол[юяи]\b|\bкакую часть\b|"
            r"пайыз|үлес|百分|比例|占.{0,30}多少",
            re.I,
        ),
        re.compile(r"%|процент|пайыз|百分", re.I),
    ),
}
# A small number in words with a unit of time: "three months", "одного рабочего дня", "екі
# апта", "两周".
_WORD_DURATION_RE = re.compile(
    r"\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?:\s+(?:working|business|calendar|full))?|"
    r"(?:од(?:ин|на|но|ного|ной|ному|ну)|дв(?:а|е|ух|ум)|тр(?:и|ёх|ех)|четыр(?:е|ёх|ех)|"
    r"пят[ьи]|шест[ьи]|сем[ьи]|восем[ьи]|восьми|девят[ьи]|десят[ьи])"
    r"(?:\s+(?:рабоч|календарн|полн)\w*)?|"
    r"(?:бір|екі|үш|төрт|бес|алты|жеті|сегіз|тоғыз|он)(?:\s+жұмыс)?)"
    rf"\s+(?:{_TIME_UNITS})\b|"
    rf"[一二两三四五六七八九十]+\s*(?:{_CHINESE_TIME_UNITS}|星期|年)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Wanted:
    """What a question's wording says its answer is."""

    kind: AnswerKind
    counted: str | None = None  # the thing counted: "employers" in "how many employers"
    limit: bool = False  # a deadline or closing time: "until when", "қашанға дейін", "截止"
    # The terms of what the question names: "th", "wildau" in "со стороны TH Wildau".
    names: frozenset[str] = frozenset()
    # "Which team", "какой факультет", "қай бағдарлама", "哪所大学": the answer is a name.
    which: bool = False
    why: bool = False  # a cause: "why", "почему", "неге", "为什么"
    # The places of a ranking the question names: 1 for "first prize", "жеңімпаз", "一等奖".
    places: frozenset[int] = frozenset()
    where: bool = False  # a place: "where", "где", "қайда", "在哪里"
    often: bool = False  # how often: "how often", "как часто", "қаншалықты жиі", "多久一次"
    # The measures with units the question names (`_MEASURES`): "money" for "сколько стоит",
    # "duration" for "how long", "distance" for "какая дистанция".
    measures: frozenset[str] = frozenset()

    @property
    def asks_unit(self) -> bool:
        """A "how many" or "how much" question whose answer comes with a unit it names."""
        return self.kind is AnswerKind.NUMBER and bool(self.counted or self.measures)


# A name in a question: a capitalised word after its first, or a word in capitals ("TH").
_QUESTION_NAME = re.compile(r"(?<=\s)[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w-]*|\b[A-Z]{2,}\b")


# A question after one of several things by name; only read where no other cue decides the kind.
_WHICH = re.compile(
    r"\bwhich\b|\bwhat is the name\b|\bcalled\b|\bкак(?:ой|ая|ое|ие|ую|ого|ом|их|им)\b|"
    r"\bназывается\b|\bқай\b|\bқандай\b|哪(?:个|所|家|些|位|种)|什么名",
    re.IGNORECASE,
)
# A name in an answer: a capitalised or quoted name, or one Latin-script word with a capital or a
# digit ("Semaphore", "ALT-Edu", "B2").
_ANSWER_NAME = re.compile(
    rf"{_NAME_RE.pattern}|“[^”]{{2,80}}”|《[^》]{{2,80}}》|(?<![\w-])[A-Z][\w-]*|\b[A-Z]\d\b"
)


def read_question(question: str, lang: str = "und") -> Wanted:
    whole_sentence = _wants_whole_sentence(question)
    kind = _answer_kind(question, whole_sentence)
    named = " ".join(_QUESTION_NAME.findall(question))
    return Wanted(
        kind,
        counted=counted_word(question),
        limit=bool(_ASKS_LIMIT.search(question)),
        names=frozenset(analyze(named, lang)) if named else frozenset(),
        which=kind is AnswerKind.SENTENCE and not whole_sentence and bool(_WHICH.search(question)),
        why=bool(_ASKS_WHY.search(question)),
        places=places_named(question),
        where=kind is AnswerKind.SENTENCE and bool(_PLACE.search(question)),
        often=kind is AnswerKind.SENTENCE and bool(_ASKS_FREQUENCY.search(question)),
        measures=_measures(question) if kind is AnswerKind.NUMBER else frozenset(),
    )


def _measures(question: str) -> frozenset[str]:
    return frozenset(name for name, (cue, _) in _MEASURES.items() if cue.search(question))


def holds_name(sentence: str, question_terms: set[str], lang: str) -> bool:
    """Whether the sentence names something the question does not."""
    return any(not words <= question_terms for words in _names_in(sentence, lang))


# The same announcements come back question after question: their names are read once.
@lru_cache(maxsize=16384)
def _names_in(sentence: str, lang: str) -> tuple[frozenset[str], ...]:
    """The terms of each name in the sentence (`_ANSWER_NAME`)."""
    names = (frozenset(analyze(m.group(0), lang)) for m in _ANSWER_NAME.finditer(sentence))
    return tuple(words for words in names if words)


def holds_limit(sentence: str, published: date | None = None) -> bool:
    """Whether the sentence marks one of its dates or times as a limit ("until 29 March",
    "8 қарашаға дейін", "4月30日前")."""
    spans = date_spans(sentence, published) + _monthly_days(sentence) + _clock_spans(sentence)
    return any(
        _LIMIT_BEFORE.search(sentence[max(0, span.start - 25) : span.start])
        or _LIMIT_AFTER.search(sentence[span.end : span.end + 12])
        for span in spans
    )


def holds_asked_unit(
    sentence: str,
    wanted: Wanted,
    counted: frozenset[str],
    lang: str,
    published: date | None = None,
) -> bool:
    """Whether one of the sentence's numbers comes with the unit `wanted`: the thing counted,
    as terms of the sentence's language `lang` ("how many employers" and "62 employers"; a
    Kazakh word by its stem, "неше күн" and "7 күнге"), for a question after a sum of money a
    currency, for one after how long a unit of time ("how long until" and "15 minutes"), and
    for one naming a measure its units ("what distance" and "3 км")."""
    return any(
        _asked_units(span, wanted, counted, lang)
        for span in candidate_spans(AnswerKind.NUMBER, sentence, published)
    )


def _asked_units(span: Span, wanted: Wanted, counted_terms: frozenset[str], lang: str) -> int:
    """How many of the asked units the number comes with: the thing counted ("62 employers"
    for "how many employers"; a Kazakh word by its stem, "7 күнге" for "неше күн") and the
    units of each measure the question names (a currency for a sum of money, a unit of time
    for how long, "км" for a distance)."""
    counted = any(
        term == thing or (lang == "kk" and term.startswith(thing))
        for term in analyze(span.value, lang)
        for thing in counted_terms
    )
    return int(counted) + sum(
        1 for measure in wanted.measures if _MEASURES[measure][1].search(span.value)
    )


_COUNTED = re.compile(
    r"\b(?:how many|сколько|қанша|неше)\s+(\w+(?:\s+\w+)?)|(?:多少|几)(\w)", re.IGNORECASE
)


def counted_word(question: str) -> str | None:
    """The words right after "how many": the thing counted, or a word that describes it and
    then the thing ("сколько участников", "how many research projects", "неше компьютер",
    "多少名")."""
    match = _COUNTED.search(question)
    return (match.group(1) or match.group(2)) if match else None


def _named_by(span: Span, kind: AnswerKind, question_terms: set[str], lang: str) -> bool:
    if kind is AnswerKind.NUMBER or (
        kind is AnswerKind.TIME and re.fullmatch(r"\d{4}", span.value)
    ):
        return _digits(span.value) in question_terms
    if kind is AnswerKind.NAME:
        words = set(analyze(span.value, lang))
        return bool(words) and words <= question_terms
    return False


def _digits(value: str) -> str:
    match = re.match(r"\d+", value)
    return match.group(0) if match else value
