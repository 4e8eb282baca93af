"""Loading real files of every supported type, and the problems a person can act on."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from ingest.documents import Document, LoadProblem, Page
from ingest.loaders import document_from_record, load_file
from tests.samples import encrypted_pdf_bytes
from tests.samples import pdf_bytes as _pdf

RU_BODY = (
    "Университет объявляет приём заявок на стипендию. Заявки принимаются до 1 июля 2025 г.\n\n"
    "Подробности можно узнать в деканате."
)


def _one(loaded: tuple[list[Document], list[LoadProblem]]) -> Document:
    documents, problems = loaded
    assert problems == []
    assert len(documents) == 1
    return documents[0]


def _problem(loaded: tuple[list[Document], list[LoadProblem]]) -> str:
    documents, problems = loaded
    assert documents == []
    assert len(problems) == 1
    return problems[0].reason


# --- plain text ----------------------------------------------------------------------------


def test_txt_with_a_heading_line(tmp_path: Path) -> None:
    path = tmp_path / "stipend.txt"
    path.write_text(f"Приём заявок на стипендию\n\n{RU_BODY}\n", encoding="utf-8")
    doc = _one(load_file(path, "news/stipend.txt"))
    assert doc.id == "news/stipend.txt"
    assert doc.title == "Приём заявок на стипендию"
    assert doc.text == RU_BODY
    assert doc.lang == "ru"
    assert doc.date is None
    assert doc.source == str(path)
    assert doc.pages == ()


def test_txt_without_a_heading_takes_the_title_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "luban_workshop-2025-03-15.txt"
    path.write_text("The Luban workshop opened in Almaty. Students may visit it on weekdays.\n")
    doc = _one(load_file(path, "luban_workshop-2025-03-15.txt"))
    assert doc.title == "Luban workshop 2025-03-15"
    assert doc.text == "The Luban workshop opened in Almaty. Students may visit it on weekdays."
    assert doc.lang == "en"


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16", "utf-16-le", "utf-8-sig"])
def test_txt_in_legacy_and_utf16_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(f"Объявление\r\n{RU_BODY}".replace("\n", "\r\n").encode(encoding))
    doc = _one(load_file(path, "old.txt"))
    assert doc.title == "Объявление"
    assert doc.text == RU_BODY
    assert doc.lang == "ru"


def test_kazakh_and_chinese_txt_get_their_language(tmp_path: Path) -> None:
    kk = tmp_path / "kk.txt"
    kk.write_text("Өтінімдер 2025 ж. 1 шілдеге дейін қабылданады. Шәкіртақы төленеді.")
    zh = tmp_path / "zh.txt"
    zh.write_text("鲁班工坊于2025年在阿拉木图正式揭牌。学生可以参观。")
    assert _one(load_file(kk, "kk.txt")).lang == "kk"
    assert _one(load_file(zh, "zh.txt")).lang == "zh"


def test_binary_file_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    documents, problems = load_file(path, "photo.txt")
    assert documents == []
    assert problems == [LoadProblem(str(path), "binary file, not text")]


def test_empty_and_blank_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_text(" \n\n\t\n")
    assert _problem(load_file(empty, "empty.txt")) == "empty file"
    assert _problem(load_file(blank, "blank.md")) == "no text in the file"


def test_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Объявление. " * 200, encoding="utf-8")
    reason = _problem(load_file(path, "big.txt", max_bytes=1000))
    assert reason == "file is 4.3 KB, over the 1000 bytes limit (ZHARSHY_MAX_FILE_MB)"


def test_fifty_megabyte_file_is_skipped_by_its_size_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scan.pdf"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk

    def must_not_read(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", must_not_read)
    monkeypatch.setattr(Path, "open", must_not_read)
    reason = _problem(load_file(path, "scan.pdf"))
    assert reason == "file is 50.0 MB, over the 20 MB limit (ZHARSHY_MAX_FILE_MB)"


def test_missing_file_folder_and_unsupported_type(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.txt"
    folder.mkdir()
    sheet = tmp_path / "budget.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    assert _problem(load_file(tmp_path / "gone.txt", "gone.txt")) == "file not found"
    assert _problem(load_file(folder, "looks-like.txt")) == "is a folder, not a file"
    assert _problem(load_file(sheet, "budget.xlsx")).startswith("unsupported file type '.xlsx'")


# --- markdown ------------------------------------------------------------------------------


def test_markdown_front_matter_sets_the_metadata(tmp_path: Path) -> None:
    path = tmp_path / "luban.md"
    path.write_text(
        "---\n"
        "id: luban-2025\n"
        "title: Мастерская Лу Бань\n"
        "date: 2025-03-15\n"  # YAML reads this as a date object
        "url: https://alt.edu.kz/news/luban\n"
        "lang: ru\n"
        "category: Новости\n"
        "author: пресс-служба\n"  # not ours: ignored
        "---\n"
        "# Мастерская Лу Бань\n\n"
        "Кроме того, в **2025 году** ALT University был удостоен проекта "
        "[«Мастерская Лу Бань»](https://alt.edu.kz/luban).\n\n"
        "## Подробности\n\n"
        "- Церемония прошла в *главном* корпусе.\n"
        "* Гости: `делегация` из Тяньцзиня.\n",
        encoding="utf-8",
    )
    doc = _one(load_file(path, "luban.md"))
    assert doc.id == "luban-2025"
    assert doc.title == "Мастерская Лу Бань"
    assert doc.date == "2025-03-15"
    assert doc.url == "https://alt.edu.kz/news/luban"
    assert doc.lang == "ru"
    assert doc.category == "новости"  # categories are case-folded
    assert doc.text == (
        "Кроме того, в 2025 году ALT University был удостоен проекта «Мастерская Лу Бань».\n\n"
        "Подробности\n\n"
        "- Церемония прошла в главном корпусе.\n"
        "- Гости: делегация из Тяньцзиня."
    )


def test_markdown_without_front_matter_takes_title_from_the_heading(tmp_path: Path) -> None:
    path = tmp_path / "exam.md"
    path.write_text("# Емтихан кестесі\n\nЕмтихандар 2025 жылғы 15 наурызда басталады.\n")
    doc = _one(load_file(path, "exam.md"))
    assert doc.id == "exam.md"
    assert doc.title == "Емтихан кестесі"
    assert doc.text == "Емтихандар 2025 жылғы 15 наурызда басталады."
    assert doc.lang == "kk"
    assert doc.date is None


def test_markdown_date_written_in_words(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text('---\ndate: "15 марта 2025 г."\n---\nТекст объявления.\n')
    assert _one(load_file(path, "a.md")).date == "2025-03-15"


def test_markdown_with_bad_front_matter_names_the_field(tmp_path: Path) -> None:
    bad_date = tmp_path / "bad-date.md"
    bad_date.write_text("---\ndate: скоро\n---\nТекст.\n")
    bad_yaml = tmp_path / "bad-yaml.md"
    bad_yaml.write_text("---\ntitle: [unclosed\n---\nТекст.\n")
    assert "'date'" in _problem(load_file(bad_date, "bad-date.md"))
    assert _problem(load_file(bad_yaml, "bad-yaml.md")).startswith("front matter is not valid YAML")


# --- HTML ----------------------------------------------------------------------------------

ARTICLE_HTML = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<title>Мастерская Лу Бань | ALT University</title>
<link rel="canonical" href="https://alt.edu.kz/news/luban">
<meta property="article:published_time" content="2025-03-15T10:00:00+05:00">
</head><body>
<nav><ul><li><a href="/">Главная</a></li><li><a href="/news">Новости</a></li></ul></nav>
<article><h1>Мастерская Лу Бань открыта</h1>
<p>Кроме того, в 2025 году ALT University был удостоен проекта «Мастерская Лу Бань».</p>
<p>Торжественная церемония прошла в главном корпусе университета.</p>
</article>
<footer><p>Все права защищены. Политика конфиденциальности.</p></footer>
</body></html>"""


def test_html_main_text_title_date_and_canonical_url(tmp_path: Path) -> None:
    path = tmp_path / "luban.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = _one(load_file(path, "luban.html"))
    assert doc.title == "Мастерская Лу Бань открыта"
    assert doc.url == "https://alt.edu.kz/news/luban"
    assert doc.date == "2025-03-15"
    assert doc.lang == "ru"
    assert doc.text == (
        "Кроме того, в 2025 году ALT University был удостоен проекта «Мастерская Лу Бань».\n\n"
        "Торжественная церемония прошла в главном корпусе университета."
    )
    assert "Главная" not in doc.text and "защищены" not in doc.text


def test_html_in_cp1251_with_og_url(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1251"><title>Стипендия</title>'
        '<meta property="og:url" content="https://alt.edu.kz/news/stipend"></head>'
        "<body><main><h1>Стипендия</h1>"
        "<p>Приём заявок на стипендию продлится до 1 июля. Подробности в деканате.</p>"
        "</main></body></html>"
    )
    path = tmp_path / "stipend.htm"
    path.write_bytes(page.encode("cp1251"))
    doc = _one(load_file(path, "stipend.htm"))
    assert doc.title == "Стипендия"
    assert doc.url == "https://alt.edu.kz/news/stipend"
    assert doc.text == "Приём заявок на стипендию продлится до 1 июля. Подробности в деканате."


def test_html_without_main_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Пусто</title></head><body><div></div></body></html>")
    assert _problem(load_file(path, "empty.html")) == "no main text found in the page"


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_text_pages_and_hyphenation(tmp_path: Path) -> None:
    path = tmp_path / "order.pdf"
    path.write_bytes(
        _pdf(
            [
                "Приказ о стипендии\nВажная инфор-\nмация для студентов. Рейс Алматы-Астана\n"
                "отменён. Маршрут Алматы-\nАстана открыт.",
                "",
                "Третья страница. Конец приказа.",
            ],
            title="Приказ № 15 о стипендии",
        )
    )
    doc = _one(load_file(path, "order.pdf"))
    assert doc.title == "Приказ № 15 о стипендии"
    assert "Важная информация для студентов." in doc.text
    assert "Рейс Алматы-Астана" in doc.text
    assert "Алматы-\nАстана открыт." in doc.text
    assert doc.lang == "ru"
    assert [page.number for page in doc.pages] == [1, 3]
    assert doc.pages[0] == Page(number=1, start=0)
    third = doc.pages[1].start
    assert doc.text[third:] == "Третья страница. Конец приказа."
    assert doc.text[third - 2 : third] == "\n\n"
    assert doc.page_at(doc.text.index("информация")) == 1
    assert doc.page_at(doc.text.index("Конец")) == 3


def test_pdf_title_falls_back_to_the_first_line(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, "Library opening hours\nThe library is open from 9 to 18 on weekdays.")
    path = tmp_path / "library.pdf"
    path.write_bytes(bytes(pdf.output()))
    doc = _one(load_file(path, "library.pdf"))
    assert doc.title == "Library opening hours"
    assert doc.text == "Library opening hours\nThe library is open from 9 to 18 on weekdays."
    assert doc.lang == "en"


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "secret.pdf"
    path.write_bytes(encrypted_pdf_bytes("Секретный приказ."))
    assert _problem(load_file(path, "secret.pdf")) == (
        "encrypted PDF; remove the password and ingest again"
    )


def test_pdf_without_a_text_layer_needs_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(["", ""]))
    assert _problem(load_file(path, "scan.pdf")) == "no extractable text; needs OCR"


def test_corrupt_pdfs(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(_pdf(["Текст."])[:300])
    fake = tmp_path / "fake.pdf"
    fake.write_text("This is not a PDF at all.")
    assert _problem(load_file(truncated, "truncated.pdf")).startswith("not a readable PDF: ")
    assert _problem(load_file(fake, "fake.pdf")).startswith("not a readable PDF: ")


# --- DOCX ----------------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_title_style(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Кесте бойынша емтихандар", level=0)  # the "Title" style
    document.add_paragraph("Емтихандар 2025 жылғы 15 наурызда басталады.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Пән"
    table.cell(0, 1).text = "Күні"
    table.cell(1, 0).text = "Математика"
    table.cell(1, 1).text = "15 наурыз"
    document.add_paragraph("Сұрақтар болса, деканатқа хабарласыңыз.")
    path = tmp_path / "exams.docx"
    document.save(str(path))
    doc = _one(load_file(path, "exams.docx"))
    assert doc.title == "Кесте бойынша емтихандар"
    assert doc.text == (
        "Емтихандар 2025 жылғы 15 наурызда басталады.\n\n"
        "Пән | Күні\n\n"
        "Математика | 15 наурыз\n\n"
        "Сұрақтар болса, деканатқа хабарласыңыз."
    )
    assert doc.lang == "kk"


def test_docx_core_properties_title_wins(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Scholarship rules"
    document.add_paragraph("Students with excellent grades receive a scholarship.")
    path = tmp_path / "rules.docx"
    document.save(str(path))
    doc = _one(load_file(path, "rules.docx"))
    assert doc.title == "Scholarship rules"
    assert doc.text == "Students with excellent grades receive a scholarship."


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)  # an old .doc
    reason = _problem(load_file(path, "broken.docx"))
    assert reason.startswith("not a readable DOCX (old .doc files must be saved as .docx): ")


# --- JSONL ---------------------------------------------------------------------------------


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_malformed_line_is_reported_and_others_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _jsonl(
        tmp_path / "news.jsonl",
        [
            json.dumps(
                {
                    "id": "n1",
                    "title": "Стипендия",
                    "text": "Приём заявок до 1 июля.",
                    "date": "2025-03-15",
                    "url": "https://alt.edu.kz/n1",
                    "lang": "ru",
                    "category": "Студентам",
                },
                ensure_ascii=False,
            ),
            '{"id": "n2", "text": "broken" "oops"}',
            json.dumps({"text": "The Luban workshop opened in 2025 in Almaty for students."}),
        ],
    )

    def whole_file_read(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a JSONL file must be streamed, not read whole")

    monkeypatch.setattr(Path, "read_bytes", whole_file_read)
    monkeypatch.setattr(Path, "read_text", whole_file_read)
    documents, problems = load_file(path, "news.jsonl")
    assert problems == [LoadProblem(f"{path}:2", "line 2: invalid JSON (Expecting ',' delimiter)")]
    first, third = documents
    assert (first.id, first.title, first.date, first.url, first.lang, first.category) == (
        "n1",
        "Стипендия",
        "2025-03-15",
        "https://alt.edu.kz/n1",
        "ru",
        "студентам",
    )
    assert third.id == "news.jsonl#3"
    assert third.title == "The Luban workshop opened in 2025 in Almaty for students."
    assert third.lang == "en"
    assert third.source == str(path)


def test_jsonl_bad_records_name_line_and_field(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "bulk.jsonl",
        [
            '["not", "an", "object"]',
            '{"id": "a", "title": "no text"}',
            '{"id": "b", "text": "   "}',
            '{"id": "c", "text": 42}',
            '{"id": "d", "text": "Текст.", "date": "скоро"}',
            '{"id": "e", "text": "Текст.", "title": 7}',
            "",
            '{"id": "f", "text": "Хороший текст."}',
            '{"id": "f", "text": "Повтор."}',
        ],
    )
    documents, problems = load_file(path, "bulk.jsonl")
    assert [doc.id for doc in documents] == ["f"]
    assert [(problem.path, problem.reason) for problem in problems] == [
        (f"{path}:1", "line 1: not a JSON object"),
        (f"{path}:2", "line 2: missing 'text'"),
        (f"{path}:3", "line 3: 'text' is empty"),
        (f"{path}:4", "line 4: 'text' must be a string, not int"),
        (f"{path}:5", "line 5: 'date' is not a full date: 'скоро' (write it like 2025-03-15)"),
        (f"{path}:6", "line 6: 'title' must be a string, not int"),
        (f"{path}:9", "line 9: duplicate id 'f' (first on line 8); skipped"),
    ]


# --- records -------------------------------------------------------------------------------


def test_record_fields_are_cleaned() -> None:
    doc = document_from_record(
        {
            "id": 17,
            "title": "  Мастерская\nЛу Бань ",
            "text": "Кроме того,\u00a0в 2025 году  ALT University был удостоен проекта.",
            "date": "15.03.2025",
            "lang": "ru-RU",
            "url": "",
            "extra": {"ignored": True},
        },
        fallback_id="api#1",
        source="api",
    )
    assert doc == Document(
        id="17",
        title="Мастерская Лу Бань",
        text="Кроме того, в 2025 году ALT University был удостоен проекта.",
        url=None,
        date="2025-03-15",
        lang="ru",
        category=None,
        source="api",
    )


def test_record_without_id_or_title_or_lang() -> None:
    long_text = "Университет объявляет " + "очень " * 30 + "важную новость."
    doc = document_from_record({"text": long_text, "lang": "KZ"}, "api#3", "api")
    assert doc.id == "api#3"
    assert doc.lang == "kk"
    assert doc.title.startswith("Университет объявляет очень")
    assert doc.title.endswith("…") and len(doc.title) <= 81


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({}, "missing 'text'"),
        ({"text": None}, "missing 'text'"),
        ({"text": ["a"]}, "'text' must be a string"),
        ({"text": "Текст.", "id": ["x"]}, "'id' must be a string"),
        ({"text": "Текст.", "id": True}, "'id' must be a string"),
        ({"text": "Текст.", "date": 2025}, "'date' must be a string"),
        ({"text": "Текст.", "date": "2025-03"}, "'date' is not a full date"),
        ({"text": "Текст.", "lang": "русский язык"}, "'lang' must be a language code"),
        ({"text": "Текст.", "url": 5}, "'url' must be a string"),
        ({"text": "Текст.", "category": {}}, "'category' must be a string"),
    ],
)
def test_bad_records_raise_a_readable_error(record: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        document_from_record(record, "api#1", "api")


def _docx_with_lines(path: Path, lines: list[str]) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("name", "write", "expected"),
    [
        (
            "career-fair.pdf",
            lambda p: p.write_bytes(
                _pdf(["ALT Career Fair 2024\nPublished: 3 April 2024\nThe fair runs 10 to 16."])
            ),
            "2024-04-03",
        ),
        (
            "registration.docx",
            lambda p: _docx_with_lines(
                p,
                [
                    "Регистрация на летний семестр",
                    "Дата публикации: 20 мая 2024 года",
                    "Летний семестр пройдёт с 17 июня по 3 августа 2024 года.",
                ],
            ),
            "2024-05-20",
        ),
        (
            "library.txt",
            lambda p: p.write_text(
                "Кітапхана жаңалығы\n\nЖарияланған күні: 2024 жылғы 9 желтоқсан\n\n"
                "Оқу залы күн сайын ашық.",
                encoding="utf-8",
            ),
            "2024-12-09",
        ),
        (
            "hsk.txt",
            lambda p: p.write_text(
                "发布日期：2025年10月20日\n\nALT大学HSK考点将于2025年11月23日举行笔试。",
                encoding="utf-8",
            ),
            "2025-10-20",
        ),
    ],
)
def test_a_file_without_a_date_takes_the_one_its_publication_line_gives(
    tmp_path: Path, name: str, write: Callable[[Path], object], expected: str
) -> None:
    path = tmp_path / name
    write(path)
    assert _one(load_file(path, name)).date == expected


def test_a_date_of_its_own_wins_over_the_publication_line(tmp_path: Path) -> None:
    path = tmp_path / "moved.md"
    path.write_text(
        "---\ndate: 2025-03-15\n---\n# Moved\n\nPublished: 1 March 2025\n\nThe exam moved.",
        encoding="utf-8",
    )
    assert _one(load_file(path, "moved.md")).date == "2025-03-15"
