"""Text clean-up and decoding of the files staff actually have: UTF-8, UTF-16, cp1251."""

from __future__ import annotations

import os
import unicodedata

import pytest

from ingest.normalize import decode_bytes, normalize_text

RU = "Приём заявок на стипендию продлится до 1 июля 2025 года. Подробности — в деканате №3."
KK = "Өтінімдер 2025 жылғы 1 шілдеге дейін қабылданады. Шәкіртақы төленеді."


def test_whitespace_is_collapsed_and_paragraphs_kept() -> None:
    raw = (
        "  Объявление\u00a0\u00a0о приёме \t\r\nвторая строка  "
        "\r\n\r\n\r\n\n  Новый   абзац.  \n\n\n"
    )
    assert normalize_text(raw) == "Объявление о приёме\nвторая строка\n\nНовый абзац."


def test_control_characters_and_invisible_marks_are_removed() -> None:
    raw = "\ufeffСтипен\u00adдия\x00 для\x07 студентов\u200b.\x0cСледующая страница."
    assert normalize_text(raw) == "Стипендия для студентов.\n\nСледующая страница."


def test_word_broken_with_soft_hyphen_at_line_end_is_rejoined() -> None:
    assert normalize_text("инфор\u00ad\nмация") == "информация"


def test_text_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Приём, қабылдау, café")
    result = normalize_text(decomposed)
    assert result == "Приём, қабылдау, café"
    assert unicodedata.is_normalized("NFC", result)


def test_normalising_twice_changes_nothing() -> None:
    raw = " a \u00a0 b\n\n\n\nc\r\nd\u2029e "
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_empty_and_blank_text() -> None:
    assert normalize_text("") == ""
    assert normalize_text(" \n\n \t ") == ""


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (RU.encode("utf-8"), RU),
        (b"\xef\xbb\xbf" + RU.encode("utf-8"), RU),
        (RU.encode("utf-16"), RU),  # with BOM
        (RU.encode("utf-16-le"), RU),  # no BOM, Cyrillic
        ("Announcement for students".encode("utf-16-le"), "Announcement for students"),
        ("Announcement for students".encode("utf-16-be"), "Announcement for students"),
        (RU.encode("cp1251"), RU),
        (KK.encode("kz1048"), KK),
        ("鲁班工坊于2025年授予。".encode(), "鲁班工坊于2025年授予。"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-bom",
        "utf16le",
        "utf16le-ascii",
        "utf16be",
        "cp1251",
        "kz1048",
        "zh",
    ],
)
def test_decode_bytes_reads_common_encodings(data: bytes, expected: str) -> None:
    assert decode_bytes(data).lstrip("\ufeff") == expected


def test_short_cp1251_text_is_not_mistaken_for_another_code_page() -> None:
    assert decode_bytes("Привет «мир» — №5".encode("cp1251")) == "Привет «мир» — №5"


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(4096),
        b"\x00" * 512,
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        b"PK\x03\x04" + bytes(range(32)) * 64,
    ],
    ids=["random", "nuls", "png", "zip"],
)
def test_binary_data_is_rejected(data: bytes) -> None:
    with pytest.raises(ValueError, match="binary file, not text"):
        decode_bytes(data)
