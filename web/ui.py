"""The staff page: a Gradio Blocks over the qa service, mounted at `/` by app.py.

Thin like every front door: it parses what people type, calls the service, and formats the
result as HTML it builds itself. Everything that comes from an announcement or a person is
escaped with `html.escape`; highlight ranges are applied to the raw text and each piece is
escaped on its own, so `<mark>` is the only markup that reaches the page.

Labels come in English and Russian (`STRINGS`); the radio at the top re-labels the page.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from index.errors import ZharshyError
from qa.retrieve import Filters
from qa.schema import Answer, Source, confidence_band
from qa.service import MAX_QUESTION_CHARS, QAService
from settings import Settings

log = logging.getLogger(__name__)

UI_LANGUAGES = (("English", "en"), ("Русский", "ru"))
DEFAULT_UI_LANG = "en"
ANY = "__any__"
FILTER_LANGUAGES = (("ru", "Русский"), ("kk", "Қазақша"), ("en", "English"), ("zh", "中文"))
LANGUAGE_NAMES = dict(FILTER_LANGUAGES)
UPLOAD_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".txt", ".jsonl"]
EXAMPLES = (
    "Когда ALT University получил проект «Мастерская Лу Бань»?",
    "Лу Бань шеберханасы қашан берілді?",
    "when was the Luban workshop awarded?",
    "鲁班工坊是哪一年授予的？",
)
# Gradio gives each call its own tracker; this default only marks the parameter.
_PROGRESS = gr.Progress()
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "header": "## Zharshy\nAsk about the university's announcements in Russian, Kazakh, "
        "English or Chinese. Every answer cites the announcement it comes from.",
        "ui_lang": "Interface language",
        "tab_ask": "Ask",
        "tab_admin": "Admin",
        "question": "Question",
        "placeholder": "e.g. When is the scholarship deadline?",
        "ask": "Ask",
        "examples": "Examples",
        "filters": "Filters",
        "f_lang": "Language of the announcement",
        "any": "any",
        "since": "Date from (YYYY-MM-DD)",
        "until": "Date to (YYYY-MM-DD)",
        "category": "Category",
        "bad_date": "“{field}”: write the date as YYYY-MM-DD, for example 2025-09-01.",
        "date_order": "“Date from” is later than “Date to”.",
        "empty_question": "Type a question first.",
        "answer": "Answer",
        "no_answer": "No confident answer in the announcements",
        "no_answer_hint": "The closest sentence and announcements are shown below; "
        "check them yourself.",
        "no_match": "No announcements match the question and filters. "
        "Try other words or clear the filters.",
        "cited": "Cited sentence",
        "closest": "Closest sentence",
        "confidence": "Confidence",
        "conf_high": "high",
        "conf_medium": "medium",
        "conf_low": "low — check the sources",
        "sources": "Sources",
        "original": "original",
        "also_in": "also in",
        "replaces": "replaces",
        "page": "page",
        "lang": "language",
        "id": "id",
        "active_filters": "Filters",
        "from": "from",
        "to": "to",
        "error": "Error",
        "unexpected": "Something went wrong on the server; the details are in its log.",
        "api_key": "API key",
        "key_placeholder": "the server's ZHARSHY_API_KEY",
        "read_only": "This server is read-only: no API key is configured (ZHARSHY_API_KEY), "
        "so uploads, rebuilds and deletions are refused. The index status is still shown.",
        "key_hint": "Uploads, rebuilds and deletions need the server's API key.",
        "refused_read_only": "Refused: this server is read-only (no ZHARSHY_API_KEY is set).",
        "wrong_key": "Refused: the API key is missing or wrong. Nothing was changed.",
        "upload": "Add announcements (pdf, docx, html, md, txt, jsonl)",
        "upload_btn": "Add to the index",
        "no_files": "Choose one or more files first.",
        "uploading": "Indexing {name}",
        "col_file": "File",
        "col_doc": "Announcement id",
        "col_result": "Result",
        "col_detail": "Detail",
        "added": "added",
        "updated": "updated",
        "unchanged": "unchanged",
        "failed": "not indexed",
        "nothing": "nothing to index",
        "upload_summary": "{files} file(s): {added} added, {updated} updated, "
        "{unchanged} unchanged, {failed} not indexed; {chunks} passages embedded.",
        "status": "Index status",
        "refresh": "Refresh",
        "st_documents": "Announcements",
        "st_chunks": "Passages",
        "st_sentences": "Sentences",
        "st_languages": "Languages",
        "st_categories": "Categories",
        "no_category": "no category",
        "st_embedder": "Embedder",
        "st_generation": "Generation",
        "st_updated": "Updated",
        "st_path": "Index folder",
        "st_rebuild": "Rebuild",
        "rb_none": "none since the server started",
        "rb_running": "running: {done} of {total} announcements",
        "rb_done": "finished at {at}",
        "rb_failed": "failed at {at}: {error}",
        "rebuild_btn": "Rebuild the index",
        "rebuild_started": "Rebuild started; questions are answered from the current index "
        "until it is complete.",
        "rebuild_busy": "A rebuild is already running.",
        "delete_id": "Announcement id to delete",
        "delete_btn": "Delete",
        "delete_empty": "Type the id of the announcement to delete "
        "(it is shown under each source).",
        "deleted": "Deleted “{id}”.",
    },
    "ru": {
        "header": "## Жаршы\nСпросите об объявлениях университета на русском, казахском, "
        "английском или китайском. Каждый ответ ссылается на объявление-источник.",
        "ui_lang": "Язык интерфейса",
        "tab_ask": "Вопрос",
        "tab_admin": "Администрирование",
        "question": "Вопрос",
        "placeholder": "например: До какого числа принимают заявки на стипендию?",
        "ask": "Спросить",
        "examples": "Примеры",
        "filters": "Фильтры",
        "f_lang": "Язык объявления",
        "any": "любой",
        "since": "Дата с (ГГГГ-ММ-ДД)",
        "until": "Дата по (ГГГГ-ММ-ДД)",
        "category": "Категория",
        "bad_date": "«{field}»: укажите дату в виде ГГГГ-ММ-ДД, например 2025-09-01.",
        "date_order": "«Дата с» позже, чем «Дата по».",
        "empty_question": "Сначала введите вопрос.",
        "answer": "Ответ",
        "no_answer": "В объявлениях нет уверенного ответа",
        "no_answer_hint": "Ниже — ближайшее предложение и объявления; проверьте их сами.",
        "no_match": "Нет объявлений, подходящих под вопрос и фильтры. "
        "Переформулируйте вопрос или сбросьте фильтры.",
        "cited": "Цитируемое предложение",
        "closest": "Ближайшее предложение",
        "confidence": "Уверенность",
        "conf_high": "высокая",
        "conf_medium": "средняя",
        "conf_low": "низкая — проверьте источники",
        "sources": "Источники",
        "original": "оригинал",
        "also_in": "также на",
        "replaces": "заменяет",
        "page": "стр.",
        "lang": "язык",
        "id": "id",
        "active_filters": "Фильтры",
        "from": "с",
        "to": "по",
        "error": "Ошибка",
        "unexpected": "На сервере произошла ошибка; подробности — в его журнале.",
        "api_key": "API-ключ",
        "key_placeholder": "ZHARSHY_API_KEY сервера",
        "read_only": "Сервер работает только на чтение: API-ключ не задан (ZHARSHY_API_KEY), "
        "поэтому загрузка, перестроение и удаление запрещены. Состояние индекса доступно.",
        "key_hint": "Для загрузки, перестроения и удаления нужен API-ключ сервера.",
        "refused_read_only": "Отказано: сервер работает только на чтение "
        "(ZHARSHY_API_KEY не задан).",
        "wrong_key": "Отказано: API-ключ не указан или неверен. Ничего не изменено.",
        "upload": "Добавить объявления (pdf, docx, html, md, txt, jsonl)",
        "upload_btn": "Добавить в индекс",
        "no_files": "Сначала выберите один или несколько файлов.",
        "uploading": "Индексируется {name}",
        "col_file": "Файл",
        "col_doc": "id объявления",
        "col_result": "Результат",
        "col_detail": "Подробности",
        "added": "добавлено",
        "updated": "обновлено",
        "unchanged": "без изменений",
        "failed": "не проиндексировано",
        "nothing": "нечего индексировать",
        "upload_summary": "Файлов: {files}; добавлено {added}, обновлено {updated}, "
        "без изменений {unchanged}, не проиндексировано {failed}; "
        "фрагментов векторизовано: {chunks}.",
        "status": "Состояние индекса",
        "refresh": "Обновить",
        "st_documents": "Объявления",
        "st_chunks": "Фрагменты",
        "st_sentences": "Предложения",
        "st_languages": "Языки",
        "st_categories": "Категории",
        "no_category": "без категории",
        "st_embedder": "Модель эмбеддингов",
        "st_generation": "Поколение",
        "st_updated": "Обновлён",
        "st_path": "Папка индекса",
        "st_rebuild": "Перестроение",
        "rb_none": "не запускалось с момента старта сервера",
        "rb_running": "идёт: {done} из {total} объявлений",
        "rb_done": "завершено в {at}",
        "rb_failed": "ошибка в {at}: {error}",
        "rebuild_btn": "Перестроить индекс",
        "rebuild_started": "Перестроение запущено; до его завершения ответы даёт текущий индекс.",
        "rebuild_busy": "Перестроение уже идёт.",
        "delete_id": "id объявления для удаления",
        "delete_btn": "Удалить",
        "delete_empty": "Введите id объявления (он указан под каждым источником).",
        "deleted": "Удалено «{id}».",
    },
}

# Scoped by Gradio to each HTML component (css_template); no global CSS is needed, so the page
# looks the same however app.py mounts it. Colours come from the theme, so dark mode works.
CARD_CSS = """
.zh-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 12px 14px; margin: 0 0 12px; background: var(--background-fill-primary);
  overflow-wrap: anywhere; }
.zh-none { border-left: 4px solid var(--color-accent); }
.zh-error { border-left: 4px solid #d64545; }
.zh-label { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 0 0 4px; }
.zh-answer-text { font-size: 1.5em; font-weight: 600; margin: 0 0 8px; }
.zh-heading { font-size: 1.15em; font-weight: 600; margin: 0 0 6px; }
.zh-sentence { margin: 8px 0; padding: 6px 10px; border-left: 3px solid
  var(--border-color-accent, var(--color-accent)); }
.zh-confidence { font-size: 0.95em; }
.zh-conf-high { color: #1f7a3a; }
.zh-conf-low { color: #b4462b; }
.zh-sources { list-style: none; padding: 0; margin: 0; }
.zh-card a { padding: 0; }
.zh-source-title { font-weight: 600; margin: 0 0 4px; }
.zh-meta { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 0 0 6px; }
.zh-source-lang { font-weight: 600; }
.zh-passage { margin: 0; white-space: pre-wrap; }
mark.zh-cite { background: #fff3b0; color: #1b1b1b; padding: 0 1px; }
mark.zh-span { background: #ffc94d; color: #1b1b1b; font-weight: 600; }
.zh-table-wrap { overflow-x: auto; }
table.zh-table { border-collapse: collapse; width: 100%; border: 0; margin: 0; padding: 0; }
table.zh-table tr { border: 0; }
table.zh-table th, table.zh-table td { text-align: left; vertical-align: top; margin: 0;
  padding: 4px 8px; border: 0; border-bottom: 1px solid var(--border-color-primary); }
.zh-msg { margin: 4px 0; }
.zh-msg-error { color: #b4462b; }
"""


def _t(lang: str | None) -> dict[str, str]:
    return STRINGS.get(lang or DEFAULT_UI_LANG, STRINGS[DEFAULT_UI_LANG])


# --- formatting: pure functions from service values to escaped HTML ---------------------------


def marked(text: str, highlight: Sequence[Sequence[int]]) -> str:
    """`text` escaped, with the first range in `<mark class="zh-cite">` and the second (the
    answer span, inside the first) in `<mark class="zh-span">`. Ranges are cut from the raw
    text before escaping, so they stay right whatever the text holds."""
    size = len(text)
    ranges = [
        (max(0, min(int(r[0]), size)), max(0, min(int(r[1]), size)))
        for r in highlight
        if len(r) >= 2
    ]
    ranges = [(a, b) for a, b in ranges if a < b]
    if not ranges:
        return escape(text)
    s0, s1 = ranges[0]
    inner = escape(text[s0:s1])
    if len(ranges) > 1:
        a0, a1 = max(ranges[1][0], s0), min(ranges[1][1], s1)
        if a0 < a1:
            inner = (
                escape(text[s0:a0])
                + f'<mark class="zh-span">{escape(text[a0:a1])}</mark>'
                + escape(text[a1:s1])
            )
    return f'{escape(text[:s0])}<mark class="zh-cite">{inner}</mark>{escape(text[s1:])}'


def _span_in_sentence(answer: Answer) -> tuple[int, int] | None:
    """Where the answer lies inside `answer.sentence`, from the cited source's highlight."""
    sentence = answer.sentence or ""
    if not answer.answer or not sentence or answer.answer == sentence:
        return None
    for source in answer.sources:
        if len(source.highlight) >= 2:
            (s0, _), (a0, a1) = source.highlight[0][:2], source.highlight[1][:2]
            piece = source.text[a0:a1]
            start = a0 - s0
            if piece and sentence[start : start + len(piece)] == piece:
                return start, start + len(piece)
            if piece and piece in sentence:
                found = sentence.index(piece)
                return found, found + len(piece)
            break
    if answer.answer in sentence:
        found = sentence.index(answer.answer)
        return found, found + len(answer.answer)
    return None


def confidence_words(confidence: float, min_confidence: float, lang: str) -> tuple[str, str]:
    """(words, css class) for a confidence."""
    band = confidence_band(confidence, min_confidence)
    return _t(lang)[f"conf_{band}"], f"zh-conf-{band}"


def message_html(text: str, *, error: bool = False) -> str:
    css = "zh-msg zh-msg-error" if error else "zh-msg"
    return f'<p class="{css}" role="{"alert" if error else "status"}">{escape(text)}</p>'


def error_card(text: str, lang: str) -> str:
    return (
        f'<div class="zh-card zh-error" role="alert"><div class="zh-label">'
        f"{escape(_t(lang)['error'])}</div><div>{escape(text)}</div></div>"
    )


def _filters_line(filters: Filters | None, lang: str) -> tuple[str, str]:
    """(the data-filters attribute, a visible line) for the filters an answer was found with."""
    if filters is None or not filters.active():
        return "", ""
    t = _t(lang)
    keys = [("lang", t["lang"]), ("since", t["from"]), ("until", t["to"])]
    keys.append(("category", t["category"].lower()))
    active = [(key, label, getattr(filters, key)) for key, label in keys if getattr(filters, key)]
    attribute = ";".join(f"{key}={value}" for key, _, value in active)
    words = " · ".join(f"{label} {value}" for _, label, value in active)
    line = f"{escape(t['active_filters'])}: {escape(words)}"
    return attribute, f'<div class="zh-meta zh-active-filters">{line}</div>'


def render_answer(
    answer: Answer, min_confidence: float, lang: str, filters: Filters | None = None
) -> str:
    """The answer card; `data-question` and `data-filters` say what it answers."""
    t = _t(lang)
    words, css = confidence_words(answer.confidence, min_confidence, lang)
    confidence = (
        f'<div class="zh-confidence {css}">{escape(t["confidence"])}: '
        f"<strong>{escape(words)}</strong> ({answer.confidence:.2f})</div>"
    )
    attribute, filters_line = _filters_line(filters, lang)
    data = f'data-question="{escape(answer.question)}" data-filters="{escape(attribute)}"'
    if answer.answer is None:
        parts = [
            f'<div class="zh-card zh-answer zh-none" data-answered="false" {data}>',
            f'<div class="zh-heading">{escape(t["no_answer"])}</div>',
        ]
        if answer.sentence:
            parts += [
                f'<div class="zh-label">{escape(t["closest"])}</div>',
                f'<blockquote class="zh-sentence">{escape(answer.sentence)}</blockquote>',
                f'<div class="zh-label">{escape(t["no_answer_hint"])}</div>',
                confidence,
            ]
        else:
            parts.append(f"<div>{escape(t['no_match'])}</div>")
        parts += [filters_line, "</div>"]
        return "".join(parts)
    sentence = answer.sentence or ""
    label = f'<div class="zh-label">{escape(t["answer"])}</div>'
    if answer.answer == sentence:  # the answer is the whole sentence: quote it once
        body = label + f'<blockquote class="zh-sentence">{marked(sentence, [[0, len(sentence)]])}'
    else:
        span = _span_in_sentence(answer)
        body = (
            f'{label}<div class="zh-answer-text">{escape(answer.answer)}</div>'
            f'<div class="zh-label">{escape(t["cited"])}</div><blockquote class="zh-sentence">'
            + marked(sentence, [[0, len(sentence)], list(span)] if span else [])
        )
    return (
        f'<div class="zh-card zh-answer" data-answered="true" {data}>{body}</blockquote>'
        f"{confidence}{filters_line}</div>"
    )


def _safe_url(url: str | None) -> str | None:
    if url and re.match(r"https?://", url.strip(), flags=re.IGNORECASE):
        return url.strip()
    return None


def _version_link(version: dict[str, str | None]) -> str:
    """Another language version of a source: its language code, linked when it has a URL."""
    code = escape(str(version.get("lang") or ""))
    title = escape(str(version.get("title") or version.get("doc_id") or ""))
    url = _safe_url(version.get("url"))
    if url:
        return (
            f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer" '
            f'title="{title}">{code}</a>'
        )
    return f'<span title="{title}">{code}</span>'


def render_source(source: Source, lang: str) -> str:
    """One source: title (linked to the original), date, language, where, and the passage."""
    t = _t(lang)
    url = _safe_url(source.url)
    title = escape(source.title or source.doc_id)
    if url:
        title = f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    meta = []
    if source.date:
        meta.append(f'<span class="zh-source-date">{escape(source.date)}</span>')
    language = LANGUAGE_NAMES.get(source.lang, source.lang)
    meta.append(
        f'<span>{escape(t["lang"])}: <span class="zh-source-lang" title="{escape(language)}">'
        f"{escape(source.lang)}</span></span>"
    )
    if source.category:
        meta.append(f'<span class="zh-source-category">{escape(source.category)}</span>')
    if url:
        meta.append(
            f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">'
            f"{escape(t['original'])} ↗</a>"
        )
    elif source.path:
        where = Path(source.path.removeprefix("upload:")).name or source.path
        if source.page is not None:
            where += f", {t['page']} {source.page}"
        meta.append(f'<span class="zh-source-file">{escape(where)}</span>')
    meta.append(f'<span class="zh-source-id">{escape(t["id"])}: {escape(source.doc_id)}</span>')
    notes = []
    if source.versions:
        versions = ", ".join(_version_link(v) for v in source.versions)
        notes.append(f'<span class="zh-source-versions">{escape(t["also_in"])}: {versions}</span>')
    if source.supersedes:
        replaced = source.supersedes
        notes.append(
            f'<span class="zh-source-replaces">{escape(t["replaces"])}: '
            f"{escape(str(replaced.get('title') or replaced.get('doc_id')))} "
            f"({escape(str(replaced.get('date') or ''))})</span>"
        )
    if notes:
        meta.append(" · ".join(notes))
    return (
        f'<li class="zh-card zh-source" data-lang="{escape(source.lang)}" '
        f'data-doc-id="{escape(source.doc_id)}">'
        f'<div class="zh-source-title">{title}</div>'
        f'<div class="zh-meta">{" · ".join(meta)}</div>'
        f'<p class="zh-passage">{marked(source.text, source.highlight)}</p></li>'
    )


def render_sources(sources: Sequence[Source], lang: str, *, answered: bool = True) -> str:
    """The sources; without an answer only the closest sentence is marked, not a span."""
    if not sources:
        return ""
    if not answered:
        sources = [replace(s, highlight=s.highlight[:1]) for s in sources]
    items = "".join(render_source(s, lang) for s in sources)
    return (
        f'<div class="zh-heading">{escape(_t(lang)["sources"])} ({len(sources)})</div>'
        f'<ol class="zh-sources">{items}</ol>'
    )


def _counts(values: dict[str, int], blank: str = "—") -> str:
    """'ru 21, kk 15, …', largest first."""
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0] or ""))
    return ", ".join(f"{k or blank} {v}" for k, v in ordered)


def render_status(service: QAService, lang: str) -> str:
    t = _t(lang)
    stats = service.status()
    rebuild = service.rebuild_status
    if rebuild.running:
        rb = t["rb_running"].format(done=rebuild.done, total=rebuild.total or "?")
    elif rebuild.error:
        rb = t["rb_failed"].format(at=rebuild.finished_at, error=rebuild.error)
    elif rebuild.finished_at:
        rb = t["rb_done"].format(at=rebuild.finished_at)
    else:
        rb = t["rb_none"]
    rows = [
        ("st_documents", str(stats.documents)),
        ("st_chunks", str(stats.chunks)),
        ("st_sentences", str(stats.sentences)),
        ("st_languages", _counts(stats.languages)),
        ("st_categories", _counts(stats.categories, t["no_category"])),
        ("st_embedder", f"{stats.embedder} ({stats.dim})"),
        ("st_generation", str(stats.generation)),
        ("st_updated", stats.updated_at or "—"),
        ("st_rebuild", rb),
        ("st_path", stats.path),
    ]
    body = "".join(
        f'<tr data-key="{key}"><th scope="row">{escape(t[key])}</th><td>{escape(value)}</td></tr>'
        for key, value in rows
    )
    return f'<div class="zh-table-wrap"><table class="zh-table zh-status">{body}</table></div>'


def render_upload(rows: Sequence[Sequence[str]], lang: str) -> str:
    if not rows:
        return ""
    t = _t(lang)
    head = "".join(
        f"<th>{escape(t[k])}</th>" for k in ("col_file", "col_doc", "col_result", "col_detail")
    )
    body = "".join(
        f'<tr data-result="{escape(result)}"><td>{escape(name)}</td><td>{escape(doc)}</td>'
        f"<td>{escape(t.get(result, result))}</td><td>{escape(detail)}</td></tr>"
        for name, doc, result, detail in rows
    )
    return (
        '<div class="zh-table-wrap"><table class="zh-table zh-upload">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


# --- parsing ---------------------------------------------------------------------------------


def parse_filters(
    lang: str | None, since: str | None, until: str | None, category: str | None, ui: str
) -> Filters | str:
    """The filters, or a message saying what to fix."""
    t = _t(ui)
    dates: dict[str, str | None] = {}
    for key, value in (("since", since), ("until", until)):
        value = (value or "").strip()
        if not value:
            dates[key] = None
            continue
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            dates[key] = date.fromisoformat(value).isoformat()
        except ValueError:
            return t["bad_date"].format(field=t[key])
    if dates["since"] and dates["until"] and dates["since"] > dates["until"]:
        return t["date_order"]
    return Filters(
        lang=None if lang in (None, "", ANY) else lang,
        since=dates["since"],
        until=dates["until"],
        category=None if category in (None, "", ANY) else category,
    )


def filters_label(
    lang: str, f_lang: str | None, since: str | None, until: str | None, category: str | None
) -> str:
    """ "Filters", with how many are set: the accordion is closed by default."""
    active = sum(v not in (None, "", ANY) for v in (f_lang, category)) + sum(
        bool((v or "").strip()) for v in (since, until)
    )
    return f"{_t(lang)['filters']} ({active})" if active else _t(lang)["filters"]


def _language_choices(lang: str) -> list[tuple[str, str]]:
    return [(_t(lang)["any"], ANY)] + [
        (f"{code} — {name}", code) for code, name in FILTER_LANGUAGES
    ]


def _category_choices(categories: Sequence[str], lang: str) -> list[tuple[str, str]]:
    return [(_t(lang)["any"], ANY)] + [(c, c) for c in categories]


# --- the page --------------------------------------------------------------------------------


def build_ui(get_service: Callable[[], QAService], settings: Settings) -> gr.Blocks:
    """The staff page. `get_service` is called inside event handlers only."""
    top_k = settings.top_k

    def authorise(key: str | None, lang: str) -> str | None:
        """None when the key is right, else the message refusing the action."""
        if settings.api_key is None:
            return _t(lang)["refused_read_only"]
        if not settings.accepts_key(key or ""):
            return _t(lang)["wrong_key"]
        return None

    def failure(exc: Exception, lang: str) -> str:
        if isinstance(exc, ZharshyError):
            return str(exc)
        log.exception("the staff page hit an unexpected error")
        return _t(lang)["unexpected"]

    def html_box(elem_id: str, value: str = "") -> gr.HTML:
        return gr.HTML(value, elem_id=elem_id, css_template=CARD_CSS, js_on_load=None)

    t0 = _t(DEFAULT_UI_LANG)
    with gr.Blocks(title="Zharshy", analytics_enabled=False) as page:
        answer_state = gr.State(None)
        upload_state: gr.State = gr.State([])
        categories_state: gr.State = gr.State([])

        with gr.Row(equal_height=False):
            with gr.Column(scale=4, min_width=300):
                header = gr.Markdown(t0["header"], elem_id="zh-header")
            ui_lang = gr.Radio(
                list(UI_LANGUAGES),
                value=DEFAULT_UI_LANG,
                label=t0["ui_lang"],
                elem_id="zh-ui-lang",
                scale=0,
                min_width=200,
            )

        with gr.Tabs():
            with gr.Tab(t0["tab_ask"], id="ask", elem_id="zh-tab-ask") as tab_ask:
                with gr.Row(equal_height=False):
                    question = gr.Textbox(
                        label=t0["question"],
                        placeholder=t0["placeholder"],
                        lines=1,
                        max_lines=4,
                        max_length=MAX_QUESTION_CHARS,
                        elem_id="zh-question",
                        scale=5,
                        min_width=240,
                    )
                    ask_button = gr.Button(
                        t0["ask"], variant="primary", elem_id="zh-ask", scale=1, min_width=100
                    )
                examples = gr.Dataset(
                    components=[question],
                    samples=[[q] for q in EXAMPLES],
                    label=t0["examples"],
                    elem_id="zh-examples",
                    layout="gallery",
                )
                with gr.Accordion(t0["filters"], open=False, elem_id="zh-filters") as filters:
                    with gr.Row():
                        f_lang = gr.Radio(
                            _language_choices(DEFAULT_UI_LANG),
                            value=ANY,
                            label=t0["f_lang"],
                            elem_id="zh-filter-lang",
                            min_width=240,
                        )
                        f_category = gr.Dropdown(
                            _category_choices([], DEFAULT_UI_LANG),
                            value=ANY,
                            label=t0["category"],
                            elem_id="zh-filter-category",
                            min_width=160,
                        )
                    with gr.Row():
                        f_since = gr.Textbox(
                            label=t0["since"],
                            placeholder="2025-01-01",
                            max_length=10,
                            elem_id="zh-filter-since",
                            min_width=160,
                        )
                        f_until = gr.Textbox(
                            label=t0["until"],
                            placeholder="2025-12-31",
                            max_length=10,
                            elem_id="zh-filter-until",
                            min_width=160,
                        )
                    filter_message = html_box("zh-filter-message")
                answer_box = html_box("zh-answer")
                sources_box = html_box("zh-sources")

            with gr.Tab(t0["tab_admin"], id="admin", elem_id="zh-tab-admin") as tab_admin:
                admin_note = gr.Markdown(
                    t0["read_only"] if settings.api_key is None else t0["key_hint"],
                    elem_id="zh-admin-note",
                )
                api_key = gr.Textbox(
                    label=t0["api_key"],
                    placeholder=t0["key_placeholder"],
                    type="password",
                    interactive=settings.api_key is not None,
                    elem_id="zh-api-key",
                )
                with gr.Group():
                    files = gr.File(
                        label=t0["upload"],
                        file_count="multiple",
                        file_types=UPLOAD_TYPES,
                        type="filepath",
                        elem_id="zh-upload-files",
                    )
                    upload_button = gr.Button(
                        t0["upload_btn"], variant="primary", elem_id="zh-upload"
                    )
                upload_message = html_box("zh-upload-message")
                upload_table = html_box("zh-upload-table")
                status_heading = gr.Markdown(f"### {t0['status']}")
                status_box = html_box("zh-status")
                with gr.Row():
                    refresh_button = gr.Button(t0["refresh"], elem_id="zh-refresh")
                    rebuild_button = gr.Button(
                        t0["rebuild_btn"], variant="secondary", elem_id="zh-rebuild"
                    )
                rebuild_message = html_box("zh-rebuild-message")
                with gr.Row(equal_height=True):
                    delete_id = gr.Textbox(
                        label=t0["delete_id"], elem_id="zh-delete-id", scale=3, min_width=200
                    )
                    delete_button = gr.Button(
                        t0["delete_btn"],
                        variant="stop",
                        elem_id="zh-delete",
                        scale=1,
                        min_width=100,
                    )
                delete_message = html_box("zh-delete-message")
                rebuild_timer = gr.Timer(2.0, active=False)

        # --- handlers --------------------------------------------------------------------

        def ask(
            text: str, lang_filter: str, since: str, until: str, category: str, lang: str
        ) -> tuple[str, str, str, tuple[Answer, Filters, float] | None]:
            filters_ = parse_filters(lang_filter, since, until, category, lang)
            if isinstance(filters_, str):
                return "", "", message_html(filters_, error=True), None
            if not (text or "").strip():
                return message_html(_t(lang)["empty_question"], error=True), "", "", None
            try:
                service = get_service()
                answer = service.ask(text, k=top_k, filters=filters_)
                min_confidence = service.min_confidence
            except Exception as exc:
                return error_card(failure(exc, lang), lang), "", "", None
            return (
                render_answer(answer, min_confidence, lang, filters_),
                render_sources(answer.sources, lang, answered=answer.answer is not None),
                "",
                (answer, filters_, min_confidence),
            )

        def check_dates(since: str, until: str, lang: str) -> str:
            problem = parse_filters(None, since, until, None, lang)
            return message_html(problem, error=True) if isinstance(problem, str) else ""

        def rerender_answer(
            shown: tuple[Answer, Filters, float] | None, lang: str
        ) -> tuple[Any, Any]:
            if shown is None:
                return gr.update(), gr.update()
            answer, filters_, min_confidence = shown
            return (
                render_answer(answer, min_confidence, lang, filters_),
                render_sources(answer.sources, lang, answered=answer.answer is not None),
            )

        def status_html(lang: str) -> str:
            try:
                return render_status(get_service(), lang)
            except Exception as exc:
                return error_card(failure(exc, lang), lang)

        def load_categories(lang: str, current: str | None) -> tuple[Any, list[str]]:
            try:
                names = sorted(c for c in get_service().status().categories if c)
            except Exception as exc:
                failure(exc, lang)
                names = []
            value = current if current in names else ANY
            return gr.update(choices=_category_choices(names, lang), value=value), names

        def refresh(lang: str) -> tuple[str, Any]:
            running = False
            with contextlib.suppress(Exception):
                running = get_service().rebuild_status.running
            return status_html(lang), gr.update(active=running)

        def upload(
            paths: list[str] | None, key: str, lang: str, progress: gr.Progress = _PROGRESS
        ) -> tuple[str, str, list[list[str]]]:
            t = _t(lang)
            refused = authorise(key, lang)
            if refused:
                return message_html(refused, error=True), "", []
            if not paths:
                return message_html(t["no_files"], error=True), "", []
            rows: list[list[str]] = []
            totals = dict.fromkeys(("added", "updated", "unchanged", "failed", "chunks"), 0)
            for number, path in enumerate(paths):
                name = Path(path).name
                progress((number, len(paths)), desc=t["uploading"].format(name=name))
                try:
                    content = Path(path).read_bytes()
                    report = get_service().add_files([(name, content)])
                except Exception as exc:
                    rows.append([name, "—", "failed", failure(exc, lang)])
                    totals["failed"] += 1
                    continue
                for doc_id, outcome in report.outcomes.items():
                    rows.append([name, doc_id, outcome, ""])
                    if outcome in totals:
                        totals[outcome] += 1
                for problem in report.errors:
                    rows.append([name, "—", "failed", f"{problem.path}: {problem.reason}"])
                    totals["failed"] += 1
                if not report.outcomes and not report.errors:
                    rows.append([name, "—", "nothing", ""])
                totals["chunks"] += report.chunks_embedded
            progress((len(paths), len(paths)))
            summary = t["upload_summary"].format(files=len(paths), **totals)
            return (
                message_html(summary, error=totals["failed"] > 0),
                render_upload(rows, lang),
                rows,
            )

        def rebuild(key: str, lang: str) -> tuple[str, Any]:
            refused = authorise(key, lang)
            if refused:
                return message_html(refused, error=True), gr.update()
            try:
                started = get_service().start_rebuild()
            except Exception as exc:
                return message_html(failure(exc, lang), error=True), gr.update()
            text = _t(lang)["rebuild_started" if started else "rebuild_busy"]
            return message_html(text), gr.update(active=True)

        def delete(key: str, doc_id: str, lang: str) -> str:
            refused = authorise(key, lang)
            if refused:
                return message_html(refused, error=True)
            doc_id = (doc_id or "").strip()
            if not doc_id:
                return message_html(_t(lang)["delete_empty"], error=True)
            try:
                get_service().delete_document(doc_id)
            except Exception as exc:
                return message_html(failure(exc, lang), error=True)
            return message_html(_t(lang)["deleted"].format(id=doc_id))

        def relabel(
            lang: str,
            categories: list[str],
            rows: list[list[str]],
            lang_filter: str,
            since: str,
            until: str,
            category: str,
        ) -> Any:
            t = _t(lang)
            return (
                gr.update(value=t["header"]),
                gr.update(label=t["ui_lang"]),
                gr.update(label=t["tab_ask"]),
                gr.update(label=t["tab_admin"]),
                gr.update(label=t["question"], placeholder=t["placeholder"]),
                gr.update(value=t["ask"]),
                gr.update(label=t["examples"]),
                gr.update(label=filters_label(lang, lang_filter, since, until, category)),
                gr.update(label=t["f_lang"], choices=_language_choices(lang)),
                gr.update(label=t["category"], choices=_category_choices(categories, lang)),
                gr.update(label=t["since"]),
                gr.update(label=t["until"]),
                gr.update(value=t["read_only"] if settings.api_key is None else t["key_hint"]),
                gr.update(label=t["api_key"], placeholder=t["key_placeholder"]),
                gr.update(label=t["upload"]),
                gr.update(value=t["upload_btn"]),
                render_upload(rows, lang),
                gr.update(value=f"### {t['status']}"),
                gr.update(value=t["refresh"]),
                gr.update(value=t["rebuild_btn"]),
                gr.update(label=t["delete_id"]),
                gr.update(value=t["delete_btn"]),
            )

        # --- wiring ----------------------------------------------------------------------

        private: dict[str, Any] = {"api_visibility": "private"}
        gr.on(
            [ask_button.click, question.submit],
            ask,
            inputs=[question, f_lang, f_since, f_until, f_category, ui_lang],
            outputs=[answer_box, sources_box, filter_message, answer_state],
            concurrency_limit=4,
            **private,
        )
        examples.click(lambda sample: sample[0], examples, question, queue=False, **private).then(
            ask,
            inputs=[question, f_lang, f_since, f_until, f_category, ui_lang],
            outputs=[answer_box, sources_box, filter_message, answer_state],
            concurrency_limit=4,
            **private,
        )
        gr.on(
            [f_since.blur, f_until.blur, f_since.submit, f_until.submit],
            check_dates,
            inputs=[f_since, f_until, ui_lang],
            outputs=filter_message,
            queue=False,
            **private,
        )
        ui_lang.change(
            relabel,
            inputs=[ui_lang, categories_state, upload_state, f_lang, f_since, f_until, f_category],
            outputs=[
                header,
                ui_lang,
                tab_ask,
                tab_admin,
                question,
                ask_button,
                examples,
                filters,
                f_lang,
                f_category,
                f_since,
                f_until,
                admin_note,
                api_key,
                files,
                upload_button,
                upload_table,
                status_heading,
                refresh_button,
                rebuild_button,
                delete_id,
                delete_button,
            ],
            queue=False,
            **private,
        ).then(rerender_answer, [answer_state, ui_lang], [answer_box, sources_box], **private).then(
            status_html, ui_lang, status_box, **private
        )

        gr.on(
            [f_lang.change, f_category.change, f_since.change, f_until.change],
            lambda *values: gr.update(label=filters_label(*values)),
            inputs=[ui_lang, f_lang, f_since, f_until, f_category],
            outputs=filters,
            queue=False,
            show_progress="hidden",
            **private,
        )
        page.load(
            load_categories, [ui_lang, f_category], [f_category, categories_state], **private
        ).then(refresh, ui_lang, [status_box, rebuild_timer], **private)
        refresh_button.click(refresh, ui_lang, [status_box, rebuild_timer], **private).then(
            load_categories, [ui_lang, f_category], [f_category, categories_state], **private
        )
        rebuild_timer.tick(refresh, ui_lang, [status_box, rebuild_timer], **private)
        rebuild_button.click(
            rebuild, [api_key, ui_lang], [rebuild_message, rebuild_timer], **private
        ).then(refresh, ui_lang, [status_box, rebuild_timer], **private)
        upload_button.click(
            upload,
            [files, api_key, ui_lang],
            [upload_message, upload_table, upload_state],
            concurrency_limit=1,
            concurrency_id="index-writes",
            **private,
        ).then(refresh, ui_lang, [status_box, rebuild_timer], **private).then(
            load_categories, [ui_lang, f_category], [f_category, categories_state], **private
        )
        gr.on(
            [delete_button.click, delete_id.submit],
            delete,
            [api_key, delete_id, ui_lang],
            delete_message,
            concurrency_limit=1,
            concurrency_id="index-writes",
            **private,
        ).then(refresh, ui_lang, [status_box, rebuild_timer], **private)

    return page
