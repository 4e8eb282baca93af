"""Answer spans: what kind of answer a question wants, and which part of a sentence gives it."""

from __future__ import annotations

from datetime import date

import pytest

from index.lexical import analyze, query_terms
from qa.answer import (
    AnswerKind,
    Wanted,
    answer_kind,
    candidate_spans,
    date_spans,
    extract_span,
    gives_frequency,
    gives_reason,
    holds_asked_unit,
    holds_limit,
    holds_name,
    places_named,
    publication_day,
    read_question,
)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("What is the first prize at ALT Hack 2025?", {1}),
        ("1 500 000 tenge for the winning team, 900 000 tenge for second place", {1, 2}),
        ("Какая команда заняла второе место?", {2}),
        ("Победитель получит главный приз.", {1}),
        ("Жеңімпаз командаға қанша жүлде берілді?", {1}),
        ("Үшінші орын алған команда қанша алды?", {3}),
        ("一等奖奖金是多少？", {1}),
        ("When does the ceremony start?", set()),
        # an ordinal that ranks nothing
        ("When did classes start for first-year students?", set()),
        ("Сколько мест в первом наборе программы?", set()),
        ("2024 жылы бірінші курсқа қанша студент қабылданды?", set()),
        ("Бірінші орынды «Көлік және логистика» факультеті алды.", {1}),
    ],
)
def test_the_places_of_a_ranking_a_text_names(text: str, places: set[int]) -> None:
    assert places_named(text) == places


@pytest.mark.parametrize(
    ("question", "lang", "sentence", "sentence_lang", "answer"),
    [
        (
            "Жеңімпаз командаға қанша жүлде берілді?",
            "kk",
            "The prize fund is 3 000 000 tenge: 1 500 000 tenge for the winning team, 900 000 "
            "tenge for second place and 600 000 tenge for third place.",
            "en",
            "1 500 000 tenge",
        ),
        (
            "What is the first prize?",
            "en",
            "Призовой фонд — 3 000 000 тенге: победителю 1 500 000 тенге, за второе место "
            "900 000 тенге, за третье место 600 000 тенге.",
            "ru",
            "1 500 000 тенге",
        ),
        (
            "二等奖奖金是多少？",
            "zh",
            "Призовой фонд — 3 000 000 тенге: победителю 1 500 000 тенге, за второе место "
            "900 000 тенге, за третье место 600 000 тенге.",
            "ru",
            "900 000 тенге",
        ),
        (
            "Үшінші орын алған команда қанша алды?",
            "kk",
            "一等奖奖金50 000坚戈，二等奖奖金30 000坚戈，三等奖奖金20 000坚戈。",
            "zh",
            "20 000坚戈",
        ),
    ],
)
def test_the_place_a_question_names_points_at_its_prize_in_any_language(
    question: str, lang: str, sentence: str, sentence_lang: str, answer: str
) -> None:
    wanted = read_question(question, lang)
    terms = query_terms(question, lang)
    span = extract_span(sentence, wanted, set(terms.native + terms.shared), sentence_lang)
    assert span is not None and span.value == answer


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("Why were the January 2026 retake exams postponed?", True),
        ("По какой причине перенесли пересдачу?", True),
        ("Жатақханаға өтініш қабылдау мерзімі неге ұзартылды?", True),
        ("补考为什么推迟？", True),
        ("When were the retakes moved to?", False),
        ("Пересдачу перенесли на какое число?", False),
    ],
)
def test_a_question_after_a_cause(question: str, why: bool) -> None:
    assert read_question(question).why is why


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("Where will the Nauryz 2025 celebration take place?", True),
        ("Где пройдёт церемония вручения дипломов?", True),
        ("Наурыз мерекесі қайда өтеді?", True),
        ("HSK笔试在哪里举行？", True),
        ("毕业典礼在哪一天举行？", False),  # which day
        ("When is the graduation ceremony?", False),
    ],
)
def test_a_question_after_a_place(question: str, where: bool) -> None:
    assert read_question(question).where is where


@pytest.mark.parametrize(
    ("question", "often", "kind"),
    [
        ("How often does the guest Wi-Fi password change?", True, AnswerKind.SENTENCE),
        ("Как часто меняется гостевой пароль?", True, AnswerKind.SENTENCE),
        ("Қонақ құпиясөзі қанша уақыт сайын өзгереді?", True, AnswerKind.SENTENCE),
        ("访客密码多久一次更换？", True, AnswerKind.SENTENCE),
        ("课程持续多久？", False, AnswerKind.NUMBER),  # how long, not how often
        ("Курс қанша уақытқа созылады?", False, AnswerKind.NUMBER),
    ],
)
def test_a_question_after_how_often(question: str, often: bool, kind: AnswerKind) -> None:
    wanted = read_question(question)
    assert (wanted.often, wanted.kind) == (often, kind)


@pytest.mark.parametrize(
    ("sentence", "frequency"),
    [
        ("The guest password is changed every Monday.", True),
        ("Гостевой пароль меняется каждый понедельник.", True),
        ("Автобус ходит раз в 20 минут.", True),
        ("Қонақ құпиясөзі дүйсенбі сайын өзгереді.", True),
        ("访客密码每周一更换。", True),
        ("Visitors will use the ALT-Guest network.", False),
        ("Гостевая сеть называется ALT-Guest.", False),
        ("访客使用ALT-Guest网络。", False),
    ],
)
def test_a_sentence_that_says_how_often(sentence: str, frequency: bool) -> None:
    assert gives_frequency(sentence) is frequency


@pytest.mark.parametrize(
    ("sentence", "cause"),
    [
        ("The portal was unavailable from 4 to 6 March because of a server upgrade.", True),
        ("Перенос связан с переходом университета на новую версию системы Platonus.", True),
        ("Срок продлён в связи с дополнительным зачислением студентов.", True),
        ("Мерзімнің ұзартылуы аралық бақылау аптасының ауыстырылуына байланысты.", True),
        ("由于系统升级，补考推迟。", True),
        # a consequence of the sentence before, not a cause
        ("Осыған байланысты конкурс нәтижелері 15 қарашада жарияланады.", False),
        ("В связи с этим результаты объявят 15 ноября.", False),
        ("Because of this, the results will be announced later.", False),
        ("因此补考推迟。", False),
        ("The retakes will be held on 22–24 January.", False),
    ],
)
def test_a_sentence_that_gives_a_cause(sentence: str, cause: bool) -> None:
    assert gives_reason(sentence) is cause


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("when was the Luban workshop awarded?", AnswerKind.TIME),
        ("Когда ALT University получил проект?", AnswerKind.TIME),
        ("Лу Бань шеберханасы қашан берілді?", AnswerKind.TIME),
        ("鲁班工坊是哪一年授予的？", AnswerKind.TIME),
        ("Сколько стоит обед?", AnswerKind.NUMBER),
        ("Шәкіртақы айына қанша?", AnswerKind.NUMBER),
        ("多少名学生？", AnswerKind.NUMBER),
        ("Во сколько отправляется последний шаттл?", AnswerKind.CLOCK),
        ("Who leads the project?", AnswerKind.NAME),
        ("Why was the deadline extended?", AnswerKind.SENTENCE),
        ("Where and when are the Korean classes held?", AnswerKind.SENTENCE),
        ("Где и когда пройдёт церемония?", AnswerKind.SENTENCE),
        ("Жәрмеңке қашан және қайда өтеді?", AnswerKind.SENTENCE),
        ("开放日在哪里举行？", AnswerKind.SENTENCE),
        # "what <a quantity>" asks for a number
        ("What is the total funding of the grants?", AnswerKind.NUMBER),
        ("What top speed can a laptop reach?", AnswerKind.NUMBER),
        ("Какой минимальный балл ЕНТ нужен?", AnswerKind.NUMBER),
        ("Какая дистанция забега?", AnswerKind.NUMBER),
        ("Қандай жеңілдік беріледі?", AnswerKind.NUMBER),
        ("交换生每周上几学时俄语课？", AnswerKind.NUMBER),
        # how long asks for a number of units of time
        ("How long until IT support arrives?", AnswerKind.NUMBER),
        ("Как долго длится курс?", AnswerKind.NUMBER),
        ("Сколько времени даётся на апелляцию?", AnswerKind.NUMBER),
        ("Курс қанша уақытқа созылады?", AnswerKind.NUMBER),
        ("考试要多长时间？", AnswerKind.NUMBER),
        ("课程持续多久？", AnswerKind.NUMBER),
        ("What is the name of the new network?", AnswerKind.SENTENCE),
        ("Какой факультет занял первое место?", AnswerKind.SENTENCE),
        ("免费汉语课程每周哪几天上课？", AnswerKind.SENTENCE),  # which days, not how many
        # "在哪一天" asks which day, not where
        ("毕业典礼在哪一天举行？", AnswerKind.TIME),
    ],
)
def test_answer_kind_in_four_languages(question: str, kind: AnswerKind) -> None:
    assert answer_kind(question) is kind


@pytest.mark.parametrize(
    ("question", "lang", "which"),
    [
        ("What is the name of the new campus Wi-Fi network?", "en", True),
        ("Which team won ALT Hack 2023?", "en", True),
        ("Какой факультет занял первое место?", "ru", True),
        ("Қай команда жеңіске жетті?", "kk", True),
        ("丝绸之路科学工坊是与哪所大学合作建立的？", "zh", True),
        # the question's other cues decide first: a date, a number, a person, a place, a reason
        ("Қай күні өтеді?", "kk", False),
        ("Какой минимальный балл ЕНТ нужен?", "ru", False),
        ("Which professor signed the agreement? Who?", "en", False),
        ("Где пройдёт церемония, в каком зале?", "ru", False),
        ("Why did the science office give two extra weeks?", "en", False),
        ("免费汉语课程每周哪几天上课？", "zh", False),
    ],
)
def test_a_question_after_one_thing_by_name(question: str, lang: str, which: bool) -> None:
    assert read_question(question, lang).which is which


@pytest.mark.parametrize(
    ("sentence", "lang", "held"),
    [
        ("Первое место получила команда Semaphore.", "ru", True),
        ("Бірінші орынды «Көлік және логистика» факультеті иеленді.", "kk", True),
        ('Students will connect to the new network "ALT-Edu".', "en", True),
        ("Требуется английский язык на уровне B2.", "ru", True),
        ("该工坊与“兰州交通大学”合作建立。", "zh", True),
        # only what the question itself names, or nothing by name
        ("Хакатон ALT Hack 2023 прошёл в ноябре.", "ru", False),
        ("Жарыс екі күнге созылды.", "kk", False),
    ],
)
def test_a_sentence_names_something_the_question_does_not(
    sentence: str, lang: str, held: bool
) -> None:
    question = "Какая команда победила на хакатоне ALT Hack 2023?"
    terms = query_terms(question, "ru")
    assert holds_name(sentence, set(terms.native + terms.shared), lang) is held


def _span(question: str, sentence: str, lang: str) -> str | None:
    terms = query_terms(question, lang)
    wanted = read_question(question, lang)
    span = extract_span(
        sentence, wanted, set(terms.native + terms.shared), lang, counted=_counted(wanted, lang)
    )
    return span.value if span else None


def _counted(wanted: Wanted, lang: str) -> frozenset[str]:
    """The thing a question counts, as a question and an announcement in one language share it."""
    return frozenset(analyze(wanted.counted, lang)) if wanted.counted else frozenset()


@pytest.mark.parametrize(
    ("question", "sentence", "lang", "answer"),
    [
        (
            "Сколько грантов в докторантуру выделено?",
            "Университету выделено 85 грантов в магистратуру и 12 грантов в докторантуру.",
            "ru",
            "12 грантов",
        ),
        (  # a number owns the clause it stands in, the words before it too
            "Какой минимальный GPA нужен для участия?",
            "Другие условия не меняются: 10 стипендий, 80 000 тенге в месяц, GPA не ниже 3,5.",
            "ru",
            "3,5",
        ),
        (
            "Ректор стипендиясының мөлшері айына қанша?",
            "Конкурстың басқа шарттары өзгеріссіз қалады: 10 стипендия, айына 80 000 теңге, "
            "GPA кемінде 3,5.",
            "kk",
            "80 000 теңге",
        ),
        (
            "How much does the winning team get?",
            "The prize fund is 3 000 000 tenge: 1 500 000 tenge for the winning team, 900 000 "
            "tenge for second place and 600 000 tenge for third place.",
            "en",
            "1 500 000 tenge",
        ),
        (  # a question after a sum of money is answered by one
            "How much does lunch cost?",
            "A set lunch of 3 dishes costs 1 500 tenge.",
            "en",
            "1 500 tenge",
        ),
        (
            "多少奖金？",
            "共有3支队伍获奖，一等奖奖金50 000坚戈。",
            "zh",
            "50 000坚戈",
        ),
        (  # the word asked about is the number's own unit
            "Сколько участников было на хакатоне?",
            "За 36 часов 31 команда — 124 участника из 9 вузов разрабатывала прототипы.",
            "ru",
            "124 участника",
        ),
        (
            "Хакатонға неше команда қатысты?",
            "36 сағат ішінде 31 команда — 9 жоғары оқу орнынан 124 қатысушы жұмыс істеді.",
            "kk",
            "31 команда",
        ),
        (
            "Во сколько отправляется последний шаттл от главного корпуса?",
            "Первый рейс отправляется в 07:20, последний рейс от главного корпуса — в 20:40.",
            "ru",
            "20:40",
        ),
        (
            "“2+2”项目每年最多招收多少名学生？",
            "实施“2+2”项目，每年最多招收25名学生；",
            "zh",
            "25名",
        ),
        (
            "До какого числа принимаются заявления на общежитие?",
            "Приём заявлений на 2025–2026 учебный год продлён до 20 сентября 2025 года.",
            "ru",
            "2025-09-20",
        ),
        (
            "Өтінімдер қашанға дейін қабылданады?",
            "Өтінімдер 2025 жылғы 1 қазанға дейін қабылданады.",
            "kk",
            "2025-10-01",
        ),
        (
            "When did the agreement get signed?",
            "On 11 April 2023, ALT University and Woosong University signed an agreement.",
            "en",
            "2023-04-11",
        ),
        (  # the thing counted decides between two numbers
            "Кітапхананың оқу залында неше компьютер бар?",
            "Залда 120 оқу орны және интернетке қосылған 40 компьютер бар.",
            "kk",
            "40 компьютер",
        ),
        (  # ... in Kazakh by its stem, as `holds_asked_unit` reads it: "неше күн", "7 күнге"
            "Комиссия өтінімді неше күн қарайды?",
            "Комиссия 3 мүшеден тұрады және өтінімді 7 күнге дейін қарайды.",
            "kk",
            "7 күнге",
        ),
        (  # how long: the number whose unit is one of time, in any language
            "How long is the course?",
            "The course has 3 groups of 20 students and lasts 16 weeks.",
            "en",
            "16 weeks",
        ),
        (
            "Как долго длится курс?",
            "В курсе 3 группы по 20 человек, он длится 16 недель.",
            "ru",
            "16 недель",
        ),
        (
            "Курс қанша уақытқа созылады?",
            "Курста 3 топ бар, әр топта 20 адам, барлығы 16 апта.",
            "kk",
            "16 апта",
        ),
        ("课程持续多久？", "课程共3个班，每班20人，为期16周。", "zh", "16周"),
        (  # a small number in words counts with a unit of time, where no digits are
            "How long after publication can I apply?",
            "Apply within three months after the article is published.",
            "en",
            "three months",
        ),
        (
            "Сколько времени даётся на апелляцию?",
            "Апелляцию подают в течение одного рабочего дня после объявления результатов.",
            "ru",
            "одного рабочего дня",
        ),
        ("Курс қанша уақытқа созылады?", "Курс екі аптаға созылады.", "kk", "екі аптаға"),
        ("课程持续多久？", "课程为期两周。", "zh", "两周"),
        (
            "参加暑期学校的往返机票大约多少钱？",
            "学生自行承担往返机票（约15万坚戈）。",
            "zh",
            "15万坚戈",
        ),
        (
            "How many pages may a paper have?",
            "Мақала көлемі — 5–8 бет, A4 форматы, 12 кегль.",
            "en",
            "5–8 бет",
        ),
        (  # opening hours are both times
            "Сессия кезінде оқу залы сағат нешеге дейін ашық?",
            "Оқу залы күн сайын сағат 08:00 мен 23:00 аралығында жұмыс істейді.",
            "kk",
            "08:00–23:00",
        ),
        (  # a year in a name ("ALT Hack 2025") is not when it happens
            "When was the latest ALT Hack held?",
            "ALT University invites students to ALT Hack 2025, which will take place from 14 to "
            "16 November 2025.",
            "en",
            "2025-11-14 – 2025-11-16",
        ),
        (
            "In which year did researchers publish 74 articles?",
            "In 2023, researchers published 74 articles.",
            "en",
            "2023",
        ),
        (  # a rate is one unit
            "What top speed can one laptop reach?",
            "One laptop can reach up to 300 Mbit/s on the new network.",
            "en",
            "300 Mbit/s",
        ),
        (  # "who" asks for a person, not the quoted project
            "Who leads the digital twin project?",
            "Самый крупный проект — «Цифровой двойник узла Алматы-1» под руководством "
            "профессора Серика Байжанова — получит 62 000 000 тенге.",
            "ru",
            "Серика Байжанова",
        ),
        (  # the person named beside what the question names, not beside the shared verb
            "Кто подписал соглашение со стороны TH Wildau?",
            "Соглашение подписали ректор ALT University Нурлан Сейткалиев и вице-президент "
            "TH Wildau по международным связям профессор Маркус Фогель.",
            "ru",
            "Маркус Фогель",
        ),
        (  # a name is of one script
            "Кто подписал соглашение?",
            "Соглашение подписали ректор ALT University Нурлан Сейткалиев и профессор Фогель.",
            "ru",
            "Нурлан Сейткалиев",
        ),
    ],
)
def test_the_span_that_answers(question: str, sentence: str, lang: str, answer: str) -> None:
    assert _span(question, sentence, lang) == answer


def test_a_school_year_is_not_a_date() -> None:
    assert [s.value for s in date_spans("Расписание на 2025–2026 учебный год.")] == []
    assert [s.value for s in date_spans("鲁班工坊于2025年授予。")] == ["2025"]


@pytest.mark.parametrize(
    ("sentence", "published", "values"),
    [
        (  # a stretch of days is one answer, in ISO
            "The hackathon will take place from 14 to 16 November 2025 at the ALT Hub.",
            None,
            ["2025-11-14 – 2025-11-16"],
        ),
        (  # the first date takes its year from the second
            "Приём документов продлится с 22 июня по 25 августа 2026 года.",
            None,
            ["2026-06-22 – 2026-08-25"],
        ),
        (
            "ALT Talent грантына өтініштер 2026 жылғы 1–15 тамыз аралығында қабылданады.",
            None,
            ["2026-08-01 – 2026-08-15"],
        ),
        ("交流活动于2025年11月14日至16日举行。", None, ["2025-11-14 – 2025-11-16"]),
        # "Between … and …" is a stretch too; "on … and …" two days.
        (
            "Құжаттар 2025 жылғы 20 маусым мен 25 тамыз аралығында қабылданады.",
            date(2025, 5, 15),
            ["2025-06-20 – 2025-08-25"],
        ),
        (
            "Documents are accepted between 20 June and 25 August 2025.",
            None,
            ["2025-06-20 – 2025-08-25"],
        ),
        (
            "The bus runs on 20 June and on 25 August 2025.",
            None,
            ["2025-06-20", "2025-08-25"],
        ),
        # Without a year, the one nearest the publication day: January after a December notice.
        (
            "Пересдача пройдёт с 22 по 24 января 2026 года вместо ранее объявленных 15–17 января.",
            date(2025, 12, 20),
            ["2026-01-22 – 2026-01-24", "2026-01-15 – 2026-01-17"],
        ),
        (
            "30-шы тамыз күні спорт кешенінде клубтар жәрмеңкесі өтеді.",
            date(2024, 8, 20),
            ["2024-08-30"],
        ),
        ("报名截止到10月31日。", date(2025, 9, 1), ["2025-10-31"]),
        ("Classes resume on 25 March.", date(2025, 3, 10), ["2025-03-25"]),
        # Without a year and with no publication day, the words stay as written.
        ("Classes resume on 25 March.", None, ["25 March"]),
        # Days listed before their month are each a day of it.
        (
            "9 и 10 февраля 2026 года у главного корпуса будет работать кабинет.",
            None,
            ["2026-02-09, 2026-02-10"],
        ),
        ("The unit is here on 9 and 10 February 2026.", None, ["2026-02-09, 2026-02-10"]),
        ("Кабинет 2026 жылғы 9 және 10 ақпанда жұмыс істейді.", None, ["2026-02-09, 2026-02-10"]),
        (
            "Экзамены пройдут 1, 2 и 7 января 2026 года.",
            None,
            ["2026-01-01, 2026-01-02, 2026-01-07"],
        ),
    ],
)
def test_dates_become_iso_days_and_stretches(
    sentence: str, published: date | None, values: list[str]
) -> None:
    assert [span.value for span in date_spans(sentence, published)] == values


def test_the_answer_takes_the_year_from_the_announcement() -> None:
    question = "Студенттік клубтар жәрмеңкесі қашан өтеді?"
    terms = query_terms(question, "kk")
    span = extract_span(
        "- 30 тамыз күні сағат 14:00-де спорт кешенінде өтетін студенттік клубтар жәрмеңкесі.",
        Wanted(answer_kind(question)),
        set(terms.native + terms.shared),
        "kk",
        publication_day("2024-08-15"),
    )
    assert span is not None and span.value == "2024-08-30"


@pytest.mark.parametrize(
    ("question", "sentence", "lang"),
    [
        (
            "Кто декан факультета «Информационные технологии»?",
            "Занятия факультета «Информационные технологии» начнутся по новому расписанию.",
            "ru",
        ),
        (
            "2025 жылы магистратураға түсу емтиханы қашан өтеді?",
            "2025 жылы университетке 1200 студент қабылданды.",
            "kk",
        ),
    ],
)
def test_what_the_question_names_is_not_its_answer(question: str, sentence: str, lang: str) -> None:
    assert _span(question, sentence, lang) is None


@pytest.mark.parametrize(
    ("question", "limit"),
    [
        ("What is the deadline for 2024 internal research grant proposals?", True),
        ("До какого числа принимаются заявления на общежитие?", True),
        ("Конференцияға мақалалар қашанға дейін қабылданады?", True),
        ("HSK考试报名截止到什么时候？", True),
        # When something ends is a limit too.
        ("When does registration for the HSK test end?", True),
        ("Когда заканчивается приём заявок на грант?", True),
        ("HSK емтиханына тіркелу қашан аяқталады?", True),
        ("交换生的学期什么时候结束？", True),
        ("When is the 2024 Open Day at ALT University?", False),
        ("Бітіру кеші қашан өтеді?", False),
        ("Когда пройдёт День здоровья?", False),
        ("Жазғы мектеп қашан өтеді?", False),
        ("暑期学校什么时候举行？", False),
    ],
)
def test_a_question_after_a_deadline_is_told_apart(question: str, limit: bool) -> None:
    assert read_question(question).limit is limit


@pytest.mark.parametrize(
    ("sentence", "limit"),
    [
        ("Proposals can now be submitted until 29 March 2024, 18:00 Almaty time.", True),
        ("- подача заявлений на пересдачу в Platonus — до 19 января 2026 года;", True),
        ("Енді құжаттарды 2024 жылғы 8 қарашаға дейін тапсыруға болады.", True),
        ("申请者须于2024年4月30日前将动机信发送至international@alt.edu.kz。", True),
        ("报名时间：即日起至2025年10月31日。", True),
        ("The Open Day takes place on Saturday, 30 March 2024.", False),
        ("17 мая 2024 года ALT University проводит День здоровья.", False),
        ("Жарыс 2023 жылғы 2–4 қазан аралығында өтті.", False),
        ("暑期学校将于2024年7月8日至26日在乌鲁木齐举行。", False),
    ],
)
def test_a_date_marked_as_a_limit_is_found_in_four_languages(sentence: str, limit: bool) -> None:
    assert holds_limit(sentence) is limit


@pytest.mark.parametrize(
    ("question", "sentence", "lang", "held"),
    [
        (
            "How many employers are taking part in the 2024 Career Fair?",
            "This year 62 employers have confirmed their participation.",
            "en",
            True,
        ),
        (
            "How many places are offered in the summer school?",
            "An information session will be held at 14:00 in conference hall 204.",
            "en",
            False,
        ),
        ("Сколько заявок подали учёные?", "Учёные подали 19 заявок на конкурс.", "ru", True),
        ("Сколько заявок подали учёные?", "В конкурсе участвовали 5 факультетов.", "ru", False),
        # the thing counted may follow a word that describes it
        (
            "How many research projects will the grants fund?",
            "The grants will fund 12 projects of up to 3 000 000 tenge.",
            "en",
            True,
        ),
        (
            "Сколько внутренних грантов выделяется?",
            "Университет выделяет 100 грантов ALT Talent.",
            "ru",
            True,
        ),
        ("Спартакиадаға қанша студент қатысты?", "Жарысқа 420 студенті қатысты.", "kk", True),
        (
            "Кітапты неше күн ұстай аламын?",
            "Мерзім 14 күннен 7 күнге дейін қысқартылады.",
            "kk",
            True,
        ),
        ("Кітапты неше күн ұстай аламын?", "Кітап 24 сағат бойы сақталады.", "kk", False),
        ("How much is the bonus for a Q1 article?", "- Q1 — 1 000 000 tenge;", "en", True),
        (
            "一等奖获得多少奖金？",
            "Первое место и приз 1 000 000 тенге получила команда.",
            "ru",
            True,
        ),
        ("一等奖获得多少奖金？", "В хакатоне участвовали 31 команда.", "ru", False),
        # how long: a number of units of time, in digits or in words
        ("How long until a technician arrives?", "A technician arrives in 15 minutes.", "en", True),
        ("How long until a technician arrives?", "Call the hotline 1010.", "en", False),
        ("Как долго рассматривается апелляция?", "В течение одного рабочего дня.", "ru", True),
        ("Курс қанша уақытқа созылады?", "Курс екі аптаға созылады.", "kk", True),
        ("课程持续多久？", "课程为期16周。", "zh", True),
        ("课程持续多久？", "每班20人。", "zh", False),
        # a measure the question names: its units
        ("Какая дистанция забега?", "- забег на 3 км (старт в 09:30);", "ru", True),
        ("Какая дистанция забега?", "Ожидается около 350 участников.", "ru", False),
        ("What distance is the run?", "The run is 3 km long.", "en", True),
        ("Забег қашықтығы қандай?", "Забег 3 шақырымға созылады.", "kk", True),
        ("Забег қашықтығы қандай?", "Забегке 120 студент қатысады.", "kk", False),
        ("长跑的距离是多少？", "学生参加3公里长跑。", "zh", True),
        ("What top speed can a laptop reach?", "Up to 300 Mbit/s per device.", "en", True),
        (
            "What top speed can a laptop reach?",
            "180 new access points were installed.",
            "en",
            False,
        ),
        ("考试成绩占总评成绩的多少？", "考试成绩占总评成绩的40%。", "zh", True),
        ("Сколько процентов составляет надбавка?", "Надбавка — 15% к стипендии.", "ru", True),
    ],
)
def test_a_number_with_the_unit_asked_for_is_found(
    question: str, sentence: str, lang: str, held: bool
) -> None:
    wanted = read_question(question)
    assert wanted.kind is AnswerKind.NUMBER
    assert holds_asked_unit(sentence, wanted, _counted(wanted, lang), lang) is held


@pytest.mark.parametrize(
    ("question", "sentence", "lang", "answer"),
    [
        ("What share of the final grade is the exam?",
         "The final grade is made of coursework (60%) and the exam (40%).", "en", "40%"),
        ("Какой процент итоговой оценки составляет экзамен?",
         "Итоговая оценка складывается из рейтинга допуска (60%) и оценки за экзамен (40%).",
         "ru", "40%"),
        ("Емтихан қорытынды бағаның қанша пайызын құрайды?",
         "Қорытынды баға екі бөліктен тұрады: рейтинг (60%) және емтихан бағасы (40%).", "kk",
         "40%"),
        ("考试成绩占总评成绩的多少？", "总评成绩由平时成绩（60%）和考试成绩（40%）组成。",
         "zh", "40%"),
    ],
)  # fmt: skip
def test_a_value_alone_in_brackets_belongs_to_the_words_before_them(
    question: str, sentence: str, lang: str, answer: str
) -> None:
    assert _span(question, sentence, lang) == answer


@pytest.mark.parametrize(
    ("question", "sentence", "lang", "answer"),
    [
        (
            "By which day of the month is the stipend paid?",
            "The stipend is paid by the 25th of each month.",
            "en",
            "the 25th of each month",
        ),
        (
            "До какого числа перечисляется стипендия?",
            "Стипендия перечисляется до 25 числа каждого месяца.",
            "ru",
            "25 числа каждого месяца",
        ),
        (
            "Стипендия айдың нешесіне дейін түседі?",
            "Стипендия ай сайын айдың 25-іне дейін банк шотына аударылады.",
            "kk",
            "айдың 25-іне",
        ),
        ("奖学金每月几号前发放？", "奖学金每月25日前发放。", "zh", "每月25日"),
    ],
)
def test_a_day_of_every_month_answers_by_which_day(
    question: str, sentence: str, lang: str, answer: str
) -> None:
    wanted = read_question(question, lang)
    assert wanted.kind is AnswerKind.TIME and wanted.limit
    span = extract_span(sentence, wanted, set(), lang)
    assert span is not None and span.value == answer
    assert holds_limit(sentence)


@pytest.mark.parametrize(
    ("question", "sentence", "lang", "answer"),
    [
        (
            "Ректор стипендиясына құжаттарды қашанға дейін тапсыруға болады?",
            "Енді құжаттарды 2024 жылғы 8 қарашаға дейін тапсыруға болады "
            "(бұған дейін 25 қазанға дейін деп жарияланған болатын).",
            "kk",
            "2024-11-08",
        ),
        (
            "До какого числа принимаются заявления на общежитие?",
            "Приём заявлений продлён до 10 октября 2025 года (ранее — до 10 сентября).",
            "ru",
            "2025-10-10",
        ),
        (
            "When is the proposal deadline now?",
            "The deadline, originally 15 March 2024, has been moved to 29 March 2024.",
            "en",
            "2024-03-29",
        ),
        (
            "现在截止日期是哪天？",
            "截止日期由原定的2024年3月15日延长至2024年3月29日。",
            "zh",
            "2024-03-29",
        ),
        # a value changed "from" one "to" another
        (
            "Кітапты неше күн ұстай аламын?",
            "Сессия кезеңінде оқулықтарды беру мерзімі 14 күннен 7 күнге дейін қысқартылады.",
            "kk",
            "7 күнге",
        ),
        (
            "How many days can I keep a textbook?",
            "During the session the loan period is reduced from 14 to 7 days.",
            "en",
            "7 days",
        ),
        (
            "На сколько дней выдают учебники?",
            "Во время сессии срок выдачи учебников сокращается с 14 до 7 дней.",
            "ru",
            "7 дней",
        ),
        ("教材可以借几天？", "考试期间教材借期由14天缩短为7天。", "zh", "7天"),
    ],
)
def test_the_value_a_sentence_says_was_replaced_is_not_the_answer(
    question: str, sentence: str, lang: str, answer: str
) -> None:
    assert _span(question, sentence, lang) == answer


@pytest.mark.parametrize(
    ("sentence", "numbers"),
    [
        ("Спартакиада спорт кешенінде (Жандосов көшесі, 60) өтті.", []),
        ("The fair runs in the sports complex (97 Shevchenko Street).", []),
        ("Общежитие №3 на 120 мест по адресу ул. Жандосова, 55.", ["120 мест"]),
        ("Занятия проходят в аудитории 105, группа 25 человек.", ["25 человек"]),
        ("每周二和周四在主楼312教室上课，共48学时。", ["48学时"]),
        ("В корпусе 3 этажа и 40 компьютеров.", ["3 этажа", "40 компьютеров"]),
    ],
)
def test_a_house_room_or_building_number_is_not_an_amount(
    sentence: str, numbers: list[str]
) -> None:
    assert [span.value for span in candidate_spans(AnswerKind.NUMBER, sentence)] == numbers
