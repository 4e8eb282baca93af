"""Text clean-up shared by every loader: one canonical form, so offsets and hashes are stable."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

_NO_TEXT = "binary file, not text"


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # Control characters (Cc) and space separators (Zs) all sit below U+3001.
    for code in range(0x3001):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cc":
            table[code] = None
        elif category == "Zs" and char != " ":
            table[code] = " "
    table[ord("\t")] = " "
    table[ord("\n")] = "\n"
    # Vertical tab, NEL and the Unicode line separator end a line; form feed (a page break in
    # PDFs and plain-text reports) and the paragraph separator end a paragraph.
    for char in "\x0b\x85\u2028":
        table[ord(char)] = "\n"
    for char in "\x0c\u2029":
        table[ord(char)] = "\n\n"
    # Invisible characters that only split words for search: soft hyphen, zero-width space,
    # word joiner, BOM. ZWJ/ZWNJ stay, since some scripts need them.
    for char in "\u00ad\u200b\u2060\ufeff":
        table[ord(char)] = None
    return table


_TABLE = _build_table()
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\r?\n[ \t]*")
_SPACES = re.compile(r" {2,}")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """NFC, no control characters, single spaces, paragraphs separated by exactly one blank line."""
    # A soft hyphen before a line break marks a word broken across lines: rejoin it.
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TABLE)
    text = _SPACES.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return unicodedata.normalize("NFC", text.strip())


_CONTROL_BYTES = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}) | {0x7F}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Bytes where the Kazakh code page KZ-1048 has Kazakh letters and cp1251 has Serbian and
# Ukrainian ones (Ќ Ў Ј Ґ Є Ї Ѕ …) that Russian or Kazakh text never uses.
_KZ1048_ONLY = frozenset(
    b
    for b in range(0x80, 0x100)
    if bytes([b]).decode("cp1251", "replace") != bytes([b]).decode("kz1048", "replace")
)
# Non-letters that cp1251 files commonly hold: quotes, dashes, numero sign, bullets, NBSP.
_CP1251_PUNCT = frozenset("«»„“”‘’‚–—…№•·°±§©®™\u00a0€")


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    control = sum(1 for b in sample if b in _CONTROL_BYTES)
    return sample.count(0) > len(sample) // 200 or control > len(sample) // 20


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text written without a BOM: one byte of each pair is nearly always the same."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:65536]
    for encoding, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        # Latin text has 0x00 and Cyrillic 0x04 as the high byte of almost every character.
        if high.count(0x00) + high.count(0x04) < 0.9 * len(high):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _printable_ratio(text) >= 0.95:
            return text
    return None


def _printable_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 1.0
    good = sum(1 for char in sample if char.isprintable() or char in "\n\r\t\f")
    return good / len(sample)


def _legacy_cyrillic(data: bytes) -> str | None:
    """cp1251 (or its Kazakh variant KZ-1048) when the bytes read as ordinary Cyrillic prose."""
    encoding = "kz1048" if any(b in _KZ1048_ONLY for b in data) else "cp1251"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    non_ascii = [char for char in text if ord(char) > 0x7F]
    if not non_ascii:
        return None
    letters = [char for char in non_ascii if _CYRILLIC.match(char)]
    other = [char for char in non_ascii if not _CYRILLIC.match(char) and char not in _CP1251_PUNCT]
    if len(letters) < 0.5 * len(non_ascii) or other:
        return None
    # KOI8-R and cp866 bytes also decode to Cyrillic letters under cp1251, but with the case
    # flipped: real prose is mostly lower case.
    lower = sum(1 for char in letters if char.islower())
    return text if lower >= 0.5 * len(letters) else None


def decode_bytes(data: bytes) -> str:
    """Decode a text file whatever its encoding; `ValueError` when it is not text at all."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if _looks_binary(data):
        raise ValueError(_NO_TEXT)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    legacy = _legacy_cyrillic(data)
    if legacy is not None:
        return legacy
    best = from_bytes(data).best()
    if best is None:
        raise ValueError(_NO_TEXT)
    text = str(best)
    if _printable_ratio(text) < 0.9:
        raise ValueError(_NO_TEXT)
    return text
