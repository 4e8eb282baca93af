"""Build the binary announcements of the sample corpus (PDF and DOCX) from text held here.

    .venv/bin/python scripts/build_corpus_binaries.py

Writes three PDFs (ru, kk, en; the Russian one has three pages) and two DOCX files under
corpus/news/<year>/. The output is deterministic: fixed creation dates, fixed ZIP timestamps,
so re-running gives byte-identical files. These files carry no front matter, so the index
knows them by their path relative to corpus/ (e.g. "news/2024/career-fair.pdf").
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.shared import Pt
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# A block is (kind, text): "h" a heading, "p" a paragraph, "li" a bullet item.
Block = tuple[str, str]


@dataclass(frozen=True)
class Announcement:
    path: str  # relative to corpus/
    title: str
    date: datetime  # publication date: PDF creation date / DOCX created+modified
    lang: str
    subject: str
    pages: tuple[tuple[Block, ...], ...]  # for DOCX the pages are simply concatenated


def _d(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, 0, tzinfo=UTC)


# --------------------------------------------------------------------------------------
# PDF 1 (en): ALT Career Fair 2024
# --------------------------------------------------------------------------------------
CAREER_FAIR = Announcement(
    path="news/2024/career-fair.pdf",
    title="ALT Career Fair 2024: 62 employers on one campus",
    date=_d(2024, 4, 3),
    lang="en",
    subject="careers",
    pages=(
        (
            ("h", "ALT Career Fair 2024: 62 employers on one campus"),
            ("p", "Published: 3 April 2024"),
            (
                "p",
                "On Thursday, 18 April 2024, the Career Centre of ALT University will hold its "
                "annual Career Fair. The fair runs from 10:00 to 16:00 in the sports complex of "
                "the main campus (97 Shevchenko Street).",
            ),
            (
                "p",
                "This year 62 employers have confirmed their participation, including railway "
                "and logistics operators, the Port of Aktau, airlines, freight forwarders, banks "
                "and IT companies. Together they offer more than 400 vacancies and internship "
                "places for students and recent graduates.",
            ),
            ("p", "What to expect:"),
            ("li", "company stands and short presentations by HR managers;"),
            (
                "li",
                "a free CV clinic from 10:30 to 13:00 in room 112, where Career Centre "
                "consultants review your CV in 15 minutes;",
            ),
            ("li", "mock job interviews in English and Russian;"),
            ("li", 'a panel discussion "Careers in logistics after 2025" at 14:00.'),
            (
                "p",
                "Students should register at career.alt.edu.kz by 15 April 2024. Registered "
                "participants receive a personal QR code that employers scan at their stands to "
                "receive the student's CV electronically. We still recommend bringing at least "
                "five printed copies of your CV. Dress code: business casual.",
            ),
            (
                "p",
                "Graduates of 2022 and 2023 are also welcome. Employers who wish to take part "
                "can contact the Career Centre until 10 April 2024.",
            ),
            (
                "p",
                "Contact: Zhanna Yermekova, Head of the Career Centre, room 112, "
                "career@alt.edu.kz, +7 (727) 355-10-12.",
            ),
        ),
    ),
)

# --------------------------------------------------------------------------------------
# PDF 2 (kk): international conference, two pages
# --------------------------------------------------------------------------------------
CONFERENCE = Announcement(
    path="news/2024/transport-logistics-conference.pdf",
    title=(
        "«Көлік және логистика: цифрлық трансформация» халықаралық ғылыми-практикалық конференциясы"
    ),
    date=_d(2024, 10, 7),
    lang="kk",
    subject="research",
    pages=(
        (
            (
                "h",
                "«Көлік және логистика: цифрлық трансформация» халықаралық "
                "ғылыми-практикалық конференциясы",
            ),
            ("p", "Жарияланған күні: 2024 жылғы 7 қазан"),
            (
                "p",
                "ALT University 2024 жылғы 21–22 қарашада «Көлік және логистика: цифрлық "
                "трансформация» атты VII халықаралық ғылыми-практикалық конференция өткізеді. "
                "Конференцияға ғалымдар, докторанттар, магистранттар, сондай-ақ көлік және "
                "логистика саласындағы компаниялардың мамандары шақырылады.",
            ),
            ("p", "Конференция секциялары:"),
            ("li", "Теміржол көлігі және инфрақұрылым."),
            ("li", "Логистика және жеткізу тізбектерін басқару."),
            ("li", "Көліктегі цифрлық технологиялар мен жасанды интеллект."),
            ("li", "Көлік экономикасы және мемлекеттік саясат."),
            ("p", "Жұмыс тілдері — қазақ, орыс және ағылшын тілдері."),
            (
                "p",
                "Пленарлық отырыс 2024 жылғы 21 қарашада сағат 10:00-де бас ғимараттың мәжіліс "
                "залында басталады. Секциялық отырыстар 21 қараша күні түстен кейін және 22 "
                "қарашада өтеді. Қашықтан қатысушылар үшін Zoom арқылы онлайн-трансляция "
                "ұйымдастырылады.",
            ),
            (
                "p",
                "Ұйымдастыру комитетінің төрағасы — ғылым және халықаралық ынтымақтастық "
                "жөніндегі проректор Ерлан Тоқтаров.",
            ),
        ),
        (
            ("h", "Мақалаларды рәсімдеуге қойылатын талаптар"),
            (
                "p",
                "Мақалалар conf.alt.edu.kz сайты арқылы 2024 жылғы 1 қарашаға дейін "
                "қабылданады. Мақала көлемі — 5–8 бет, A4 форматы, Times New Roman қаріпі, "
                "12 кегль, жол аралығы — 1. Мақалаға аңдатпа мен түйін сөздер үш тілде беріледі.",
            ),
            (
                "p",
                "Қатысу жарнасы — 10 000 теңге. Студенттер мен ALT University қызметкерлері "
                "үшін қатысу тегін. Жарна мақала қабылданғаннан кейін төленеді.",
            ),
            (
                "p",
                "Конференция материалдары ISBN нөмірі бар жинақ ретінде 2024 жылғы желтоқсанда "
                "жарияланады. Үздік үш баяндаманың авторлары университеттің «ALT Хабаршысы» "
                "ғылыми журналында мақаласын тегін жариялау мүмкіндігіне ие болады.",
            ),
            (
                "p",
                "Байланыс: ғылым департаментінің басшысы Әлия Рахимова, бас ғимарат, "
                "407-кабинет, conf@alt.edu.kz, +7 (727) 355-10-07.",
            ),
        ),
    ),
)

# --------------------------------------------------------------------------------------
# PDF 3 (ru): winter exam session 2025-2026, three pages
# --------------------------------------------------------------------------------------
EXAM_SESSION = Announcement(
    path="news/2025/winter-exam-session.pdf",
    title="Зимняя экзаменационная сессия 2025–2026 учебного года: расписание и правила",
    date=_d(2025, 12, 1),
    lang="ru",
    subject="exams",
    pages=(
        (
            ("h", "Зимняя экзаменационная сессия 2025–2026 учебного года: расписание и правила"),
            ("p", "Дата публикации: 1 декабря 2025 года"),
            (
                "p",
                "Офис регистратора ALT University информирует студентов о порядке проведения "
                "зимней экзаменационной сессии 2025–2026 учебного года.",
            ),
            (
                "p",
                "Сроки сессии: с 22 декабря 2025 года по 10 января 2026 года. 31 декабря 2025 "
                "года, 1 и 2 января 2026 года, а также 7 января 2026 года экзамены не проводятся.",
            ),
            (
                "p",
                "Допуск к экзаменам. К сессии допускаются студенты, у которых рейтинг допуска по "
                "дисциплине составляет не менее 50 баллов и нет задолженности по оплате "
                "обучения. Рейтинг допуска формируется по результатам двух рубежных контролей и "
                "выставляется в Platonus до 20 декабря 2025 года.",
            ),
            (
                "p",
                "Форматы экзаменов. Большинство экзаменов проводится письменно или в форме "
                "компьютерного тестирования в аудиториях университета. Экзамены по дисциплинам, "
                "которые изучались онлайн, проводятся дистанционно с прокторингом через "
                "платформу Platonus.",
            ),
            (
                "p",
                "Экзамены начинаются в 09:00 (первая смена) и в 14:00 (вторая смена). "
                "Студенты, опоздавшие более чем на 15 минут, к экзамену не допускаются.",
            ),
        ),
        (
            ("h", "Расписание экзаменов по факультетам (выдержка)"),
            ("p", "Факультет «Транспорт и логистика»:"),
            ("li", "Теория транспортных процессов и систем — 23 декабря 2025 г., 09:00, ауд. 401;"),
            ("li", "Грузоведение — 26 декабря 2025 г., 09:00, ауд. 402;"),
            ("li", "Управление цепями поставок — 29 декабря 2025 г., 14:00, ауд. 410."),
            ("p", "Факультет «Информационные технологии»:"),
            ("li", "Базы данных — 22 декабря 2025 г., 09:00, корпус Б, ауд. B-205;"),
            (
                "li",
                "Алгоритмы и структуры данных — 25 декабря 2025 г., 14:00, корпус Б, ауд. B-207;",
            ),
            ("li", "Компьютерные сети — 5 января 2026 г., 09:00, корпус Б, ауд. B-205."),
            ("p", "Факультет «Экономика и управление»:"),
            ("li", "Микроэкономика — 24 декабря 2025 г., 09:00, ауд. 305;"),
            ("li", "Бухгалтерский учёт — 30 декабря 2025 г., 09:00, ауд. 306."),
            ("p", "Общеобразовательные дисциплины (все факультеты):"),
            (
                "li",
                "Современная история Казахстана (государственный экзамен) — 8 января 2026 г., "
                "09:00, компьютерные классы корпуса Б;",
            ),
            ("li", "Философия — 9 января 2026 г., 14:00, ауд. 301."),
            (
                "p",
                "Полное расписание для каждой группы опубликовано в Platonus в разделе "
                "«Расписание экзаменов».",
            ),
        ),
        (
            ("h", "Результаты, апелляции и контакты"),
            (
                "p",
                "Результаты экзаменов выставляются в Platonus в течение 48 часов после "
                "экзамена. Итоговая оценка по дисциплине складывается из рейтинга допуска (60%) "
                "и оценки за экзамен (40%).",
            ),
            (
                "p",
                "Апелляция. Студент, не согласный с оценкой, может подать апелляцию в течение "
                "одного рабочего дня после объявления результатов. Апелляционная комиссия "
                "работает в аудитории 303 главного корпуса с 10:00 до 17:00.",
            ),
            (
                "p",
                "Правила поведения. Мобильные телефоны, смарт-часы и наушники сдаются до начала "
                "экзамена. Студент, у которого обнаружены шпаргалки или гаджеты, удаляется с "
                "экзамена с оценкой F.",
            ),
            (
                "p",
                "Пересдача. Порядок повторной сдачи экзаменов с оценкой FX будет опубликован "
                "отдельным объявлением. Зимние каникулы продлятся с 11 января по 1 февраля 2026 "
                "года; весенний семестр начинается 2 февраля 2026 года.",
            ),
            (
                "p",
                "Контакты: Офис регистратора, аудитория 105 главного корпуса, "
                "registrar@alt.edu.kz, тел. +7 (727) 355-10-05. Руководитель Офиса "
                "регистратора — Салтанат Муканова.",
            ),
        ),
    ),
)

# --------------------------------------------------------------------------------------
# DOCX 1 (ru): summer semester registration 2024
# --------------------------------------------------------------------------------------
SUMMER_SEMESTER = Announcement(
    path="news/2024/summer-semester-registration.docx",
    title="Регистрация на летний семестр 2024 года",
    date=_d(2024, 5, 20),
    lang="ru",
    subject="exams",
    pages=(
        (
            ("h", "Регистрация на летний семестр 2024 года"),
            ("p", "Дата публикации: 20 мая 2024 года"),
            (
                "p",
                "Офис регистратора сообщает, что летний семестр 2023–2024 учебного года пройдёт "
                "с 17 июня по 3 августа 2024 года. Летний семестр предназначен для ликвидации "
                "академической задолженности (оценки F), а также для изучения дисциплин, "
                "которые студент хочет освоить досрочно.",
            ),
            (
                "p",
                "Регистрация на дисциплины летнего семестра проводится в системе Platonus с 27 "
                "мая по 7 июня 2024 года. После 7 июня изменения в выбранный список дисциплин "
                "не принимаются.",
            ),
            (
                "p",
                "Стоимость одного академического кредита (ECTS) в летнем семестре составляет "
                "12 500 тенге. Студент может зарегистрироваться не более чем на 15 кредитов.",
            ),
            (
                "p",
                "Оплата производится до 14 июня 2024 года через Kaspi или в кассе университета "
                "(главный корпус, аудитория 120). Студенты, не оплатившие обучение в срок, "
                "исключаются из списков групп.",
            ),
            (
                "p",
                "Занятия проводятся в смешанном формате: лекции — онлайн, практические и "
                "лабораторные занятия — очно. Итоговые экзамены летнего семестра пройдут с 29 "
                "июля по 3 августа 2024 года.",
            ),
            (
                "p",
                "Группа по дисциплине открывается, если на неё зарегистрировались не менее 10 "
                "студентов.",
            ),
            (
                "p",
                "По вопросам регистрации обращайтесь в Офис регистратора: аудитория 105, "
                "главный корпус, registrar@alt.edu.kz. Руководитель Офиса регистратора — "
                "Салтанат Муканова.",
            ),
        ),
    ),
)

# --------------------------------------------------------------------------------------
# DOCX 2 (kk): exchange semester at Erciyes University, Turkey
# --------------------------------------------------------------------------------------
ERCIYES = Announcement(
    path="news/2024/erciyes-exchange-spring-2025.docx",
    title="Түркиядағы Ерджиес университетінде бір семестр оқу: конкурс жарияланды",
    date=_d(2024, 10, 14),
    lang="kk",
    subject="international",
    pages=(
        (
            ("h", "Түркиядағы Ерджиес университетінде бір семестр оқу: конкурс жарияланды"),
            ("p", "Жарияланған күні: 2024 жылғы 14 қазан"),
            (
                "p",
                "Халықаралық ынтымақтастық департаменті академиялық ұтқырлық бағдарламасы "
                "аясында 2025 жылғы көктемгі семестрде Ерджиес университетінде (Кайсери қаласы, "
                "Түркия) оқитын студенттерді іріктеу конкурсын жариялайды.",
            ),
            (
                "p",
                "Бағдарлама бойынша 8 орын бөлінген. Семестр 2025 жылғы 10 ақпанда басталып, "
                "13 маусымда аяқталады. Іріктелген студенттер Ерджиес университетінде оқу ақысын "
                "төлемейді, ал ALT University оларға ай сайын 150 000 теңге стипендия төлейді "
                "және әуе билетінің құнын өтейді.",
            ),
            (
                "p",
                "Конкурсқа 2–3 курс студенттері қатыса алады. Талаптар: GPA кемінде 3,0, "
                "ағылшын тілін B2 деңгейінде немесе түрік тілін A2 деңгейінде білу. Ерджиес "
                "университетінде сабақтар ағылшын және түрік тілдерінде жүргізіледі.",
            ),
            ("p", "Қажетті құжаттар:"),
            ("li", "өтініш;"),
            ("li", "транскрипт;"),
            ("li", "ағылшын немесе түрік тілін білу сертификаты;"),
            ("li", "уәждеме хаты;"),
            ("li", "шетелдік төлқұжаттың көшірмесі."),
            (
                "p",
                "Құжаттар 2024 жылғы 15 қарашаға дейін халықаралық ынтымақтастық "
                "департаментінде (бас ғимарат, 215-кабинет) қабылданады. Үміткерлермен сұхбат "
                "2024 жылғы 20 қарашада өтеді.",
            ),
            (
                "p",
                "Студенттер ALT University-де оқитын пәндерін Ерджиес университетінде алатын "
                "кредиттермен сәйкестендіру үшін оқу жоспарын сапарға дейін декан кеңсесінде "
                "келісуі тиіс.",
            ),
            (
                "p",
                "Байланыс: халықаралық ынтымақтастық департаментінің директоры Динара "
                "Әбдірахманова, international@alt.edu.kz.",
            ),
        ),
    ),
)

PDFS = (CAREER_FAIR, CONFERENCE, EXAM_SESSION)
DOCXS = (SUMMER_SEMESTER, ERCIYES)

FOOTER = {
    "ru": "ALT University · ул. Шевченко, 97, Алматы · стр. {n}",
    "kk": "ALT University · Шевченко көшесі, 97, Алматы · {n}-бет",
    "en": "ALT University · 97 Shevchenko Street, Almaty · page {n}",
}


class _NewsPDF(FPDF):
    def __init__(self, lang: str) -> None:
        super().__init__(format="A4")
        self._lang = lang

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 10, FOOTER[self._lang].format(n=self.page_no()), align="C")


def build_pdf(a: Announcement) -> bytes:
    pdf = _NewsPDF(a.lang)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(a.title)
    pdf.set_author("ALT University")
    pdf.set_subject(a.subject)
    pdf.set_keywords(f"ALT University, {a.subject}")
    pdf.set_creator("scripts/build_corpus_binaries.py")
    pdf.set_lang(a.lang)
    pdf.set_creation_date(a.date)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    for page in a.pages:
        pdf.add_page()
        for kind, text in page:
            if kind == "h":
                pdf.set_font("DejaVu", "B", 15)
                pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT", align="L")
                pdf.ln(3)
            elif kind == "li":
                pdf.set_font("DejaVu", "", 11)
                pdf.set_x(pdf.l_margin + 5)
                pdf.multi_cell(0, 6, "• " + text, new_x="LMARGIN", new_y="NEXT", align="L")
                pdf.ln(1)
            else:
                pdf.set_font("DejaVu", "", 11)
                pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT", align="L")
                pdf.ln(3)
    return bytes(pdf.output())


def _normalise_zip(blob: bytes, when: datetime) -> bytes:
    """Rewrite a DOCX zip with fixed member timestamps so the bytes are reproducible."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build_docx(a: Announcement) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(11)
    props = doc.core_properties
    props.title = a.title
    props.author = "ALT University"
    props.last_modified_by = "ALT University"
    props.subject = a.subject
    props.language = a.lang
    props.keywords = f"ALT University, {a.subject}"
    props.revision = 1
    naive = a.date.replace(tzinfo=None)
    props.created = naive
    props.modified = naive
    props.last_printed = naive
    for page in a.pages:
        for kind, text in page:
            if kind == "h":
                doc.add_heading(text, level=1)
            elif kind == "li":
                doc.add_paragraph(text, style="List Bullet")
            else:
                doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue(), a.date)


def main() -> None:
    for a in PDFS:
        target = CORPUS / a.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(build_pdf(a))
        print(f"wrote {target.relative_to(ROOT)}")
    for a in DOCXS:
        target = CORPUS / a.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(build_docx(a))
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
