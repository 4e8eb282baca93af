"""Files in, `Document`s out: discovery, per-format loaders and the shared record path.

Loaders never raise for bad input. Every file that cannot be ingested comes back as a
`LoadProblem` whose reason tells a person what to do about it.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import docx
import pathspec
import trafilatura
import yaml
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ingest.dates import parse_date, publication_date_in
from ingest.documents import Document, LoadProblem, Page
from ingest.language import detect_language
from ingest.normalize import decode_bytes, normalize_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".jsonl")
IGNORE_FILE = ".zharshyignore"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_MB = 1024 * 1024
_TITLE_MAX_CHARS = 120
_FALLBACK_TITLE_CHARS = 80

Loaded = tuple[list[Document], list[LoadProblem]]

logger = logging.getLogger(__name__)


# --- discovery -------------------------------------------------------------------------------


def _unsupported(suffix: str) -> str:
    supported = ", ".join(SUPPORTED_SUFFIXES)
    if not suffix:
        return f"unsupported file type (no extension; supported: {supported})"
    return f"unsupported file type '{suffix}' (supported: {supported})"


def _ignore_spec(root: Path, problems: list[LoadProblem]) -> pathspec.PathSpec | None:
    ignore_file = root / IGNORE_FILE
    if not ignore_file.is_file():
        return None
    try:
        lines = ignore_file.read_text(encoding="utf-8-sig").splitlines()
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        problems.append(LoadProblem(str(ignore_file), f"ignore file not used: {_short(error)}"))
        return None


def discover_files(root: Path) -> tuple[list[Path], list[LoadProblem]]:
    """Every supported file under `root`, in a stable order, and the files passed over.

    Symlinks are followed; a link back into a folder already being walked is reported once
    and not entered. Hidden entries and paths matched by `root/.zharshyignore` (gitignore
    syntax) are skipped silently.
    """
    problems: list[LoadProblem] = []
    try:
        root_stat = root.stat()
    except OSError:
        return [], [LoadProblem(str(root), "no such file or folder")]
    if not root.is_dir():
        return [root], []
    spec = _ignore_spec(root, problems)
    found: list[tuple[str, Path]] = []
    root_key = (root_stat.st_dev, root_stat.st_ino)
    visited: dict[tuple[int, int], str] = {root_key: "."}
    # An explicit stack, not recursion: folder depth must not be able to crash discovery.
    stack: list[tuple[Path, str, frozenset[tuple[int, int]]]] = [(root, "", frozenset({root_key}))]
    while stack:
        folder, relative, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            problems.append(LoadProblem(str(folder), f"cannot read folder: {_short(error)}"))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            rel = f"{relative}/{entry.name}" if relative else entry.name
            try:
                target = path.stat()
            except OSError:
                if entry.is_symlink():
                    problems.append(LoadProblem(str(path), "broken symlink; its target is missing"))
                else:
                    problems.append(LoadProblem(str(path), "cannot read file"))
                continue
            if entry.is_dir():
                if spec is not None and spec.match_file(rel + "/"):
                    continue
                key = (target.st_dev, target.st_ino)
                if key in ancestors:
                    problems.append(
                        LoadProblem(str(path), f"symlink loop: leads back to '{visited[key]}'")
                    )
                    continue
                if key in visited:
                    problems.append(
                        LoadProblem(str(path), f"same folder as '{visited[key]}'; read once")
                    )
                    continue
                visited[key] = rel
                subfolders.append((path, rel, ancestors | {key}))
            elif entry.is_file():
                if spec is not None and spec.match_file(rel):
                    continue
                suffix = path.suffix.lower()
                if suffix not in SUPPORTED_SUFFIXES:
                    problems.append(LoadProblem(str(path), _unsupported(suffix)))
                    continue
                found.append((rel, path))
        stack.extend(reversed(subfolders))
    found.sort(key=lambda item: item[0].split("/"))
    return [path for _, path in found], problems


# --- building documents ----------------------------------------------------------------------


_LANGUAGE_ALIASES = {
    "kz": "kk",
    "kaz": "kk",
    "rus": "ru",
    "eng": "en",
    "zho": "zh",
    "chi": "zh",
    "cn": "zh",
}
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def _language_code(value: str) -> str:
    primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    primary = _LANGUAGE_ALIASES.get(primary, primary)
    if not _LANGUAGE_CODE.fullmatch(primary):
        raise ValueError(f"'lang' must be a language code like 'ru' or 'kk', not {value!r}")
    return primary


def _one_line(text: str) -> str:
    return " ".join(normalize_text(text).split())


def _fallback_title(text: str) -> str:
    """The opening words of a text, for records that carry no title."""
    first_line = text.split("\n", 1)[0].strip()
    if len(first_line) <= _FALLBACK_TITLE_CHARS:
        return first_line
    cut = first_line[:_FALLBACK_TITLE_CHARS].rsplit(" ", 1)[0] or first_line[:_FALLBACK_TITLE_CHARS]
    return cut.rstrip(" ,;:-") + "…"


def _readable_stem(path: Path) -> str:
    # Underscores and word hyphens are file-name spacing; hyphens between digits are dates.
    stem = re.sub(r"_+|(?<!\d)-|-(?!\d)", " ", path.stem)
    stem = " ".join(stem.split()) or path.name
    return stem[:1].upper() + stem[1:]


def _heading_line(line: str) -> bool:
    return 0 < len(line) <= _TITLE_MAX_CHARS and line[-1] not in ".,;:"


def _title_from_first_line(text: str) -> tuple[str | None, str]:
    """A short first line without a closing period is the title; the rest is the text."""
    first, _, rest = text.partition("\n")
    rest = rest.strip()
    if rest and _heading_line(first.strip()):
        return first.strip(), rest
    return None, text


def _build(
    *,
    doc_id: str,
    title: str | None,
    text: str,
    source: str,
    url: str | None = None,
    date_iso: str | None = None,
    lang: str | None = None,
    category: str | None = None,
    pages: tuple[Page, ...] = (),
) -> Document:
    """The one place a Document is made: `text` must already be normalised."""
    clean_title = _one_line(title) if title else ""
    if not clean_title:
        clean_title = _fallback_title(text)
    language = lang or detect_language(f"{clean_title}\n{text}")
    return Document(
        id=doc_id,
        title=clean_title,
        text=text,
        url=url or None,
        # A file without a date of its own often says it in its text ("Published: …"), or in
        # the first line that became its title.
        date=date_iso or publication_date_in(f"{clean_title}\n{text}", language),
        lang=language,
        # Sites write "Campus" and "campus"; filters should not have to guess which.
        category=_one_line(category).casefold() if category and category.strip() else None,
        source=source,
        pages=pages,
    )


def _optional_string(record: Mapping[str, object], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string, not {type(value).__name__}")
    return value.strip() or None


def _record_date(value: object, lang: str | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"'date' must be a string like '2025-03-15', not {type(value).__name__}")
    parsed = parse_date(value, lang)
    if parsed is None:
        raise ValueError(f"'date' is not a full date: {value!r} (write it like 2025-03-15)")
    return parsed


def document_from_record(record: Mapping[str, object], fallback_id: str, source: str) -> Document:
    """A Document from an announcement given as a mapping (a JSONL line, an API payload).

    Keys: text (required), id, title, date, url, lang, category; others are ignored.
    Raises ValueError naming the field when a value is missing or of the wrong kind.
    """
    if "text" not in record or record["text"] is None:
        raise ValueError("missing 'text'")
    raw_text = record["text"]
    if not isinstance(raw_text, str):
        raise ValueError(f"'text' must be a string, not {type(raw_text).__name__}")
    text = normalize_text(raw_text)
    if not text:
        raise ValueError("'text' is empty")
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int | None):
        raise ValueError(f"'id' must be a string, not {type(raw_id).__name__}")
    doc_id = str(raw_id).strip() if raw_id is not None else ""
    lang_value = _optional_string(record, "lang")
    lang = _language_code(lang_value) if lang_value else None
    return _build(
        doc_id=doc_id or fallback_id,
        title=_optional_string(record, "title"),
        text=text,
        source=source,
        url=_optional_string(record, "url"),
        date_iso=_record_date(record.get("date"), lang),
        lang=lang,
        category=_optional_string(record, "category"),
    )


# --- per-format loaders ----------------------------------------------------------------------


def _short(error: BaseException) -> str:
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    message = message or type(error).__name__
    return message if len(message) <= 160 else message[:157] + "..."


class _Problem(Exception):
    """A reason to skip a file, raised inside a loader and reported by `load_file`."""


@dataclass
class _Context:
    path: Path
    doc_id: str
    problems: list[LoadProblem] = field(default_factory=list)

    @property
    def source(self) -> str:
        return str(self.path)

    def document(
        self,
        title: str | None,
        text: str,
        *,
        url: str | None = None,
        date_iso: str | None = None,
        category: str | None = None,
        pages: tuple[Page, ...] = (),
    ) -> list[Document]:
        """The file's one announcement; with no title of its own, the file's name is it."""
        return [
            _build(
                doc_id=self.doc_id,
                title=title or _readable_stem(self.path),
                text=text,
                source=self.source,
                url=url,
                date_iso=date_iso,
                category=category,
                pages=pages,
            )
        ]

    def warn(self, reason: str, where: str | None = None) -> None:
        self.problems.append(LoadProblem(where or self.source, reason))


def _decode(data: bytes) -> str:
    try:
        return decode_bytes(data)
    except ValueError as error:
        raise _Problem(str(error)) from error


def _load_txt(data: bytes, context: _Context) -> list[Document]:
    text = normalize_text(_decode(data))
    if not text:
        raise _Problem("no text in the file")
    title, body = _title_from_first_line(text)
    return context.document(title, body)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"^ {0,3}(?:```|~~~).*$", re.MULTILINE), ""),
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.MULTILINE), ""),
    (re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE), ""),
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]+\S.*$", re.MULTILINE), ""),
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE), r"\1"),
    (re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE), ""),
    (re.compile(r"^([ \t]*)[*+][ \t]+", re.MULTILINE), r"\1- "),
    (
        re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M),
        "",
    ),
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?/?>"), ""),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),
)


def _strip_markdown(text: str) -> str:
    """Markdown to readable plain text: markup goes, words and link texts stay."""
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise _Problem(f"front matter is not valid YAML: {_short(error)}") from error
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise _Problem("front matter must be 'key: value' lines between '---' lines")
    return {str(key): value for key, value in meta.items()}, text[match.end() :]


def _load_markdown(data: bytes, context: _Context) -> list[Document]:
    raw = _decode(data).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, body = _front_matter(raw)
    title = meta.get("title")
    lines = body.split("\n")
    first_content = next((i for i, line in enumerate(lines) if line.strip()), None)
    if title is not None and first_content is not None:
        heading = _MD_HEADING.match(lines[first_content])
        if heading and _one_line(_strip_markdown(heading.group(2))) == _one_line(str(title)):
            body = "\n".join(lines[first_content + 1 :])
    if title is None:
        for number, line in enumerate(lines):
            heading = _MD_HEADING.match(line)
            if heading and len(heading.group(1)) == 1:
                title = _strip_markdown(heading.group(2))
                if number == first_content:
                    # The heading is the title; keeping it would only repeat the title.
                    body = "\n".join(lines[number + 1 :])
                break
    text = normalize_text(_strip_markdown(body))
    if title is None:
        title, text = _title_from_first_line(text)
    record: dict[str, object] = {
        key: meta.get(key) for key in ("id", "date", "url", "lang", "category")
    }
    record["title"] = title if title is not None else _readable_stem(context.path)
    if not text:
        raise _Problem("no text in the file")
    record["text"] = text
    if isinstance(record["id"], str | int) and not isinstance(record["id"], bool):
        record["id"] = str(record["id"])
    for key in ("title", "url", "lang", "category"):
        if record[key] is not None and not isinstance(record[key], str):
            record[key] = str(record[key])
    try:
        return [document_from_record(record, context.doc_id, context.source)]
    except ValueError as error:
        raise _Problem(f"front matter: {error}") from error


def _load_html(data: bytes, context: _Context) -> list[Document]:
    # trafilatura reads the page's own charset from bytes; NULs mean UTF-16 (or not text).
    payload: str | bytes = _decode(data) if b"\x00" in data[:4096] else data
    try:
        extracted = trafilatura.bare_extraction(
            payload,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
        )
    except Exception as error:  # trafilatura and lxml raise many kinds on broken markup
        raise _Problem(f"not a readable HTML page: {_short(error)}") from error
    raw_text = getattr(extracted, "text", None) if extracted is not None else None
    if not raw_text or not raw_text.strip():
        raise _Problem("no main text found in the page")
    title = getattr(extracted, "title", None) or None
    # trafilatura puts one block (paragraph, heading, list item, table row) per line.
    blocks = [line.strip() for line in raw_text.split("\n") if line.strip()]
    if title and blocks and _one_line(blocks[0]) == _one_line(title) and len(blocks) > 1:
        blocks = blocks[1:]
    text = normalize_text("\n\n".join(blocks))
    if title is None:
        title, text = _title_from_first_line(text)
    raw_date = getattr(extracted, "date", None)
    categories = getattr(extracted, "categories", None) or []
    return context.document(
        title,
        text,
        url=getattr(extracted, "url", None),
        date_iso=parse_date(raw_date) if raw_date else None,
        category=categories[0] if categories else None,
    )


_LINE_END_HYPHEN = re.compile(r"([^\W\d_])[-\u2010]\n([^\W\d_])")
_JUNK_PDF_TITLE = re.compile(
    r"(?i)^(?:untitled|microsoft (?:word|powerpoint) - .*|.*\.(?:docx?|pdf|odt|rtf|pptx?))$"
)


def _join_hyphenated(text: str) -> str:
    # Only a word broken at a line end continues in lower case: "инфор-\nмация", but not
    # "Алматы-\nАстана".
    def join(match: re.Match[str]) -> str:
        if match.group(2).islower():
            return match.group(1) + match.group(2)
        return match.group(0)

    return _LINE_END_HYPHEN.sub(join, text)


def _pdf_title(reader: PdfReader) -> str | None:
    try:
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except Exception:  # broken info dictionaries are common and not worth failing over
        return None
    if not isinstance(title, str):
        return None
    title = _one_line(title)
    return title if title and not _JUNK_PDF_TITLE.match(title) else None


def _load_pdf(data: bytes, context: _Context) -> list[Document]:
    if b"%PDF-" not in data[:1024]:
        raise _Problem("not a readable PDF: no PDF header (is it really a PDF?)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Problem("encrypted PDF; remove the password and ingest again")
        page_list = list(reader.pages)
    except _Problem:
        raise
    except FileNotDecryptedError as error:
        raise _Problem("encrypted PDF; remove the password and ingest again") from error
    except DependencyError as error:
        # AES-protected PDFs, even ones that open without a password, need a crypto library.
        raise _Problem(
            "encrypted PDF (AES) that needs the 'cryptography' package to read; install it, "
            "or remove the protection and ingest again"
        ) from error
    except Exception as error:  # pypdf raises many kinds of error on damaged files
        raise _Problem(f"not a readable PDF: {_short(error)}") from error
    parts: list[str] = []
    pages: list[Page] = []
    offset = 0
    for number, page in enumerate(page_list, start=1):
        try:
            raw = page.extract_text() or ""
        except Exception as error:  # one damaged page should not lose the others
            context.warn(f"page {number}: text could not be read ({_short(error)})")
            continue
        page_text = _join_hyphenated(normalize_text(raw))
        if not page_text:
            continue
        if parts:
            offset += 2  # the "\n\n" that joins pages
        pages.append(Page(number=number, start=offset))
        parts.append(page_text)
        offset += len(page_text)
    if not parts:
        raise _Problem("no extractable text; needs OCR")
    text = "\n\n".join(parts)
    title = _pdf_title(reader)
    if title is None:
        first = text.split("\n", 1)[0].strip()
        title = first if _heading_line(first) else None
    return context.document(title, text, pages=tuple(pages))


def _docx_blocks(document: docx.document.Document) -> Iterator[tuple[str, str]]:
    """(style name, text) for each paragraph and each table row, in document order."""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            style = item.style.name if item.style is not None and item.style.name else ""
            yield style, item.text
        elif isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    cell_text = " ".join(cell.text.split())
                    # Merged cells come back once per grid column.
                    if cell_text and (not cells or cells[-1] != cell_text):
                        cells.append(cell_text)
                if cells:
                    yield "Table", " | ".join(cells)


def _load_docx(data: bytes, context: _Context) -> list[Document]:
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = [(style, text.strip()) for style, text in _docx_blocks(document)]
        core_title = document.core_properties.title
    except Exception as error:  # zipfile, lxml and python-docx all raise on damaged files
        hint = " (old .doc files must be saved as .docx)" if not data.startswith(b"PK") else ""
        raise _Problem(f"not a readable DOCX{hint}: {_short(error)}") from error
    blocks = [(style, text) for style, text in blocks if text]
    title = _one_line(core_title) if core_title and core_title.strip() else None
    if title is None:
        for index, (style, text) in enumerate(blocks):
            if style.startswith(("Title", "Heading")):
                title = _one_line(text)
                if index == 0:
                    blocks = blocks[1:]
                break
    text = normalize_text("\n\n".join(text for _, text in blocks))
    if not text:
        raise _Problem("no text in the document")
    if title is None:
        title, text = _title_from_first_line(text)
    return context.document(title, text)


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    # Line by line, so a bulk export never sits in memory whole.
    with path.open("rb") as stream:
        yield from enumerate(stream, start=1)


def _load_jsonl(path: Path, context: _Context) -> list[Document]:
    documents: list[Document] = []
    first_line_of: dict[str, int] = {}
    for number, raw in _jsonl_lines(path):
        where = f"{path}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            context.warn(f"line {number}: not UTF-8 text", where)
            continue
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            context.warn(f"line {number}: invalid JSON ({error.msg})", where)
            continue
        if not isinstance(record, dict):
            context.warn(f"line {number}: not a JSON object", where)
            continue
        try:
            document = document_from_record(record, f"{context.doc_id}#{number}", str(path))
        except ValueError as error:
            context.warn(f"line {number}: {error}", where)
            continue
        if document.id in first_line_of:
            context.warn(
                f"line {number}: duplicate id '{document.id}' (first on line "
                f"{first_line_of[document.id]}); skipped",
                where,
            )
            continue
        first_line_of[document.id] = number
        documents.append(document)
    if not documents and not context.problems:
        raise _Problem("no announcements in the file")
    return documents


_BYTE_LOADERS: dict[str, Callable[[bytes, _Context], list[Document]]] = {
    ".txt": _load_txt,
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}


def _size(n_bytes: int) -> str:
    if n_bytes >= _MB // 10:
        return f"{n_bytes / _MB:.1f} MB"
    if n_bytes >= 1024:
        return f"{n_bytes / 1024:.1f} KB"
    return f"{n_bytes} bytes"


def _limit(n_bytes: int) -> str:
    if n_bytes % _MB == 0:
        return f"{n_bytes // _MB} MB"
    return _size(n_bytes)


def load_file(path: Path, doc_id: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """The documents in one file, and what went wrong; never raises for bad input.

    `doc_id` names the document when the file does not (JSONL lines get `doc_id#line`).
    """
    context = _Context(path=path, doc_id=doc_id)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return [], [LoadProblem(str(path), _unsupported(suffix))]
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return [], [LoadProblem(str(path), "file not found")]
    except OSError as error:
        return [], [LoadProblem(str(path), f"cannot read the file: {_short(error)}")]
    if path.is_dir():
        return [], [LoadProblem(str(path), "is a folder, not a file")]
    if size > max_bytes:
        reason = f"file is {_size(size)}, over the {_limit(max_bytes)} limit (ZHARSHY_MAX_FILE_MB)"
        return [], [LoadProblem(str(path), reason)]
    if size == 0:
        return [], [LoadProblem(str(path), "empty file")]
    try:
        if suffix == ".jsonl":
            documents = _load_jsonl(path, context)
        else:
            documents = _BYTE_LOADERS[suffix](path.read_bytes(), context)
    except _Problem as problem:
        context.warn(str(problem))
        return [], context.problems
    except OSError as error:
        context.warn(f"cannot read the file: {_short(error)}")
        return [], context.problems
    except Exception as error:  # the promise is a report, never a crash, whatever the file holds
        logger.warning("unexpected error loading %s", path, exc_info=True)
        context.warn(f"could not load the file ({type(error).__name__}: {_short(error)})")
        return [], context.problems
    return documents, context.problems
