"""Real files for tests: PDFs with and without a text layer, and a folder of bad input."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

# Installed by `make install-test` (Debian's fonts-dejavu-core) when the machine lacks it.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pdf_bytes(pages: list[str], title: str | None = None) -> bytes:
    """A real PDF; an empty page string makes a page with a drawing and no text layer."""
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.set_font("DejaVu", size=12)
    for page_text in pages:
        pdf.add_page()
        if page_text:
            pdf.multi_cell(0, 8, page_text)
        else:
            pdf.rect(20, 20, 80, 40)
    if title:
        pdf.set_title(title)
    return bytes(pdf.output())


def encrypted_pdf_bytes(text: str, password: str = "secret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([text]))))
    writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write_bad_inputs(folder: Path) -> dict[str, str]:
    """Every kind of bad input the ingester must report and skip, beside one good file of each
    awkward kind. Returns {file name: words the reported reason must contain}."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "encrypted.pdf").write_bytes(encrypted_pdf_bytes("Приказ ректора."))
    (folder / "scan.pdf").write_bytes(pdf_bytes(["", ""]))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(bytes(range(256)) * 64)
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    good = {
        "id": "bulk-good",
        "title": "Библиотека",
        "text": "Библиотека работает до 20:00.",
        "lang": "ru",
    }
    later = {
        "id": "bulk-later",
        "title": "Library",
        "text": "The library opens at 9.",
        "lang": "en",
    }
    (folder / "bulk.jsonl").write_text(
        json.dumps(good, ensure_ascii=False) + "\n{not json\n" + json.dumps(later) + "\n",
        encoding="utf-8",
    )
    (folder / "legacy.txt").write_bytes(
        "Расписание экзаменов\nЭкзамены начнутся 10 июня 2025 года в главном корпусе.".encode(
            "cp1251"
        )
    )
    (folder / "loop").mkdir()
    os.symlink(folder / "loop", folder / "loop" / "again")
    return {
        "encrypted.pdf": "encrypted",
        "scan.pdf": "no extractable text; needs OCR",
        "empty.txt": "empty",
        "garbage.txt": "binary",
        "huge.txt": "20 MB",
        "bulk.jsonl:2": "line 2",
        "again": "symlink loop",
    }
