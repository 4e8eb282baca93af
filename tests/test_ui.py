"""The staff page's HTML: document text and metadata always escaped, versions and replacements
shown."""

from __future__ import annotations

from qa.schema import Source
from web.ui import render_source


def _source(**changes: object) -> Source:
    fields: dict[str, object] = {
        "doc_id": "nauryz-2025-kk",
        "chunk_id": 1,
        "title": "Наурыз <b>мерекесі</b>",
        "url": "https://alt.edu.kz/kk/nauryz",
        "date": "2025-03-14",
        "lang": "kk",
        "category": "events",
        "path": "corpus/news/nauryz.md",
        "page": None,
        "text": "Мереке 20 наурызда <script>alert(1)</script> өтеді.",
        "score": 0.1,
        "highlight": [[0, 18]],
    }
    fields.update(changes)
    return Source(**fields)  # type: ignore[arg-type]


def test_text_and_titles_are_escaped() -> None:
    html = render_source(_source(), "en")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;мерекесі&lt;/b&gt;" in html
    assert "<mark" in html


def test_other_language_versions_and_replaced_notice_are_listed() -> None:
    html = render_source(
        _source(
            versions=[
                {
                    "doc_id": "nauryz-2025",
                    "lang": "ru",
                    "title": 'Наурыз "2025"',
                    "url": "javascript:alert(1)",
                }
            ],
            supersedes={"doc_id": "old", "title": "Старое <i>объявление</i>", "date": "2025-03-01"},
        ),
        "ru",
    )
    assert "также на" in html and ">ru<" in html
    assert "javascript:" not in html  # only http(s) links are made
    assert "заменяет" in html and "&lt;i&gt;" in html and "<i>" not in html
