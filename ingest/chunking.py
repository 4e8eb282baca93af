"""Sentence splitting and token-bounded, sentence-aware chunking.

Offsets are the contract: every span and chunk points into the text it came from, so the
index can highlight and cite exactly what was matched.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pysbd
from pysbd.languages import LANGUAGE_CODES as _PYSBD_LANGUAGES
from razdel import sentenize

from ingest.dates import is_publication_line
from ingest.documents import Chunk, Document

Span = tuple[int, int]

# Raise when the way a text is cut into chunks or sentences changes: the next ingest then re-cuts
# and re-embeds every announcement, as it would a changed one.
SEGMENTATION_VERSION = 3

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Chinese sentences end at full-width (or ASCII) terminators, with any closing quotes or
# brackets staying with the sentence they close.
_ZH_END = re.compile(r"[。！？；!?;]+[”’」』）)】〕》\"']*")
_TERMINAL = ".!?…:;。！？；"
_LIST_ITEM = re.compile(r"(?:[-–—•·*▪●◦‣]|\d{1,3}[.)]|[a-zа-я][)])\s")
_OPENERS = "«\"“„'‘([{"
# A line this short with no final punctuation, standing on its own, is a heading; longer
# lines without punctuation are usually a wrapped sentence.
_HEADING_MAX_CHARS = 80
# razdel knows Russian abbreviations but breaks after Kazakh ones ("2025 ж. 1 шілде"):
# жыл/жылдар (year/s), т.б. and т.с.с. (etc.), т.с., қала (city), көше (street),
# бет (page), ғасыр (century), облыс, сағат, минут, миллион/миллиард, теңге.
_KAZAKH_ABBREVIATION = re.compile(
    r"(?:^|[\s(«\"])(?:жж?|ж\.ж|т\.б|т\.с\.с|т\.с|қ|к|б|бет|ғ|ғғ|обл|сағ|мин|млн|млрд|тг)\.$",
    re.IGNORECASE,
)


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


_BRACKET_PAIRS = {")": "(", "]": "[", "）": "（"}
_OPENING_BRACKETS = frozenset(_BRACKET_PAIRS.values())


def _bracketed(text: str, start: int, end: int) -> list[Span]:
    """The spans between each bracket and the one that closes it, within text[start:end]."""
    spans, opened = [], []
    for position in range(start, end):
        character = text[position]
        if character in _OPENING_BRACKETS:
            opened.append((character, position))
        elif character in _BRACKET_PAIRS:
            while opened and opened[-1][0] != _BRACKET_PAIRS[character]:
                opened.pop()  # an unclosed bracket inside a closed one closes nothing
            if opened:
                spans.append((opened.pop()[1], position))
    return spans


def _spans_from_ends(text: str, start: int, end: int, ends: list[int]) -> list[Span]:
    """The sentences of text[start:end] that end at `ends`; a sentence never ends inside
    brackets that close after it ("общежитие №2 (мкр. Орбита-2, 14)": the splitters took the
    period of an abbreviation they did not know for a sentence's end)."""
    inside = _bracketed(text, start, end)
    ends = [b for b in ends if not any(open_ < b <= close for open_, close in inside)]
    spans = []
    cursor = start
    for boundary in [*sorted(b for b in ends if start < b < end), end]:
        if boundary <= cursor:
            continue
        span = _strip(text, cursor, boundary)
        if span is not None:
            spans.append(span)
        cursor = boundary
    return spans


def _dominant_script(text: str) -> str:
    cjk = len(_CJK.findall(text))
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    # One Chinese character carries about as much as a short word, so a modest share of
    # them already makes a passage Chinese.
    if cjk and cjk >= 0.2 * (cjk + cyrillic + latin):
        return "zh"
    return "cyrillic" if cyrillic >= latin and cyrillic else "latin"


def _lines(text: str, start: int, end: int) -> list[Span]:
    lines = []
    cursor = start
    while (newline := text.find("\n", cursor, end)) != -1:
        lines.append((cursor, newline))
        cursor = newline + 1
    lines.append((cursor, end))
    return lines


def _is_heading(line: str, following: str) -> bool:
    if not line or len(line) > _HEADING_MAX_CHARS or line[-1] in _TERMINAL + ",-–—":
        return False
    first = following[:1]
    return first.isupper() or first.isdigit() or (first != "" and first in _OPENERS)


def _segments(text: str, start: int, end: int, line_is_sentence: bool) -> list[Span]:
    """Split a paragraph at line breaks that end a sentence on their own."""
    lines = _lines(text, start, end)
    segments = []
    segment_start = lines[0][0]
    previous_ended = True
    for (line_start, line_end), (next_start, next_end) in itertools.pairwise(lines):
        line = text[line_start:line_end].strip()
        following = text[next_start:next_end].strip()
        cut = (
            line_is_sentence
            or _LIST_ITEM.match(following) is not None
            or (previous_ended and _is_heading(line, following))
            # A heading broken over lines, then "Published: …", then the body (as PDFs give
            # them) is three sentences, not one.
            or is_publication_line(line)
            or is_publication_line(following)
        )
        if cut:
            segments.append((segment_start, line_end))
            segment_start = next_start
        previous_ended = cut or (line != "" and line[-1] in _TERMINAL)
    segments.append((segment_start, end))
    return segments


_segmenter_lock = threading.Lock()


@lru_cache(maxsize=32)
def _pysbd_segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False)


def _latin_ends(segment: str, lang: str) -> list[int]:
    language = lang if lang in _PYSBD_LANGUAGES and lang not in ("ru", "kk", "zh") else "en"
    with _segmenter_lock:  # pysbd segmenters keep per-call state
        pieces = _pysbd_segmenter(language).segment(segment)
    ends = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        # pysbd may tidy a sentence; one it no longer finds verbatim just gives no boundary.
        found = segment.find(piece, cursor)
        if found != -1:
            cursor = found + len(piece)
            ends.append(cursor)
    return ends


def _cyrillic_spans(text: str, start: int, end: int, segment: str) -> list[Span]:
    spans = _spans_from_ends(text, start, end, [start + s.stop for s in sentenize(segment)])
    merged: list[Span] = []
    for span in spans:
        if merged:
            previous = text[merged[-1][0] : merged[-1][1]]
            first = text[span[0]]
            if (first.islower() or first.isdigit()) and _KAZAKH_ABBREVIATION.search(previous):
                merged[-1] = (merged[-1][0], span[1])
                continue
        merged.append(span)
    return merged


def _split_segment(text: str, start: int, end: int, lang: str) -> list[Span]:
    # Same length as the original, so the splitters' offsets map straight back.
    segment = text[start:end].replace("\n", " ")
    script = _dominant_script(segment)
    if script == "zh":
        ends = [start + match.end() for match in _ZH_END.finditer(segment)]
        return _spans_from_ends(text, start, end, ends)
    if script == "cyrillic":
        return _cyrillic_spans(text, start, end, segment)
    return _spans_from_ends(text, start, end, [start + e for e in _latin_ends(segment, lang)])


def _paragraphs(text: str) -> list[Span]:
    spans = []
    cursor = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, len(text)))
    return [span for span in (_strip(text, s, e) for s, e in spans) if span is not None]


def split_sentences(text: str, lang: str) -> list[Span]:
    """Sentence spans of `text`, in order, stripped, covering all its non-space characters.

    Paragraph breaks and lines standing alone as headings or list items always end a
    sentence; Chinese passages also break at every line end.
    """
    spans: list[Span] = []
    for paragraph_start, paragraph_end in _paragraphs(text):
        paragraph = text[paragraph_start:paragraph_end]
        line_is_sentence = lang == "zh" or _dominant_script(paragraph) == "zh"
        for segment in _segments(text, paragraph_start, paragraph_end, line_is_sentence):
            stripped = _strip(text, *segment)
            if stripped is not None:
                spans.extend(_split_segment(text, *stripped, lang))
    return spans


@dataclass(frozen=True)
class _Unit:
    """A sentence, or a piece of one too long for a chunk, with its token count."""

    start: int
    end: int
    tokens: int
    starts_paragraph: bool
    whole: bool


class _CachedCounter:
    def __init__(self, count_tokens: Callable[[str], int]) -> None:
        self._count = count_tokens
        self._cache: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        if text not in self._cache:
            self._cache[text] = self._count(text)
        return self._cache[text]


# A chunk this full may end at a paragraph break rather than start a paragraph it cannot
# finish.
_FULL_ENOUGH = 0.5
# Pieces of an over-long sentence: one Chinese character, or a run of anything else that is
# not a space.
_CJK_WIDE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_WORD = re.compile(rf"[{_CJK_WIDE}]|[^\s{_CJK_WIDE}]+")


def _longest_fit(
    text: str, bounds: list[Span], first: int, count: _CachedCounter, max_tokens: int
) -> tuple[int, int]:
    """How many of `bounds[first:]` fit in one piece (at least one), and their token count."""

    def cost(n: int) -> int:
        return count(text[bounds[first][0] : bounds[first + n - 1][1]])

    available = len(bounds) - first
    low, low_cost = 1, cost(1)
    if low_cost > max_tokens:
        return 1, low_cost
    high = 2
    while high <= available and cost(high) <= max_tokens:
        low, low_cost = high, cost(high)
        high *= 2
    high = min(high, available + 1)
    while high - low > 1:
        middle = (low + high) // 2
        if cost(middle) <= max_tokens:
            low, low_cost = middle, cost(middle)
        else:
            high = middle
    return low, low_cost


def _split_long(
    text: str, start: int, end: int, count: _CachedCounter, max_tokens: int
) -> list[tuple[int, int, int]]:
    words = [(start + m.start(), start + m.end()) for m in _WORD.finditer(text[start:end])]
    pieces = []
    index = 0
    while index < len(words):
        taken, tokens = _longest_fit(text, words, index, count, max_tokens)
        if tokens <= max_tokens:
            pieces.append((words[index][0], words[index + taken - 1][1], tokens))
        else:
            # One "word" (a URL, a long number) over budget on its own: cut it by characters.
            word_start, word_end = words[index]
            chars = [(i, i + 1) for i in range(word_start, word_end)]
            at = 0
            while at < len(chars):
                n, char_tokens = _longest_fit(text, chars, at, count, max_tokens)
                pieces.append((chars[at][0], chars[at + n - 1][1], char_tokens))
                at += n
        index += taken
    return pieces


def _units(text: str, spans: list[Span], count: _CachedCounter, max_tokens: int) -> list[_Unit]:
    units = []
    previous_end = 0
    for number, (start, end) in enumerate(spans):
        new_paragraph = (
            number == 0 or _PARAGRAPH_BREAK.search(text, previous_end, start) is not None
        )
        previous_end = end
        tokens = count(text[start:end])
        if tokens <= max_tokens:
            units.append(_Unit(start, end, tokens, new_paragraph, whole=True))
            continue
        for piece_number, (piece_start, piece_end, piece_tokens) in enumerate(
            _split_long(text, start, end, count, max_tokens)
        ):
            starts = new_paragraph and piece_number == 0
            units.append(_Unit(piece_start, piece_end, piece_tokens, starts, whole=False))
    return units


def chunk_document(
    doc: Document,
    count_tokens: Callable[[str], int],
    max_tokens: int = 200,
    overlap_sentences: int = 1,
) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `max_tokens` tokens.

    Chunks prefer to end at paragraph breaks once reasonably full; each chunk after the first
    repeats the last `overlap_sentences` sentences of the one before when they fit. Only a
    sentence longer than the budget on its own is cut, at word (Chinese: character) bounds.
    """
    if max_tokens < 1:
        raise ValueError("max_tokens must be at least 1")
    if overlap_sentences < 0:
        raise ValueError("overlap_sentences must not be negative")
    text = doc.text
    count = _CachedCounter(count_tokens)
    if text.strip() and count("") >= max_tokens:
        raise ValueError(
            f"max_tokens={max_tokens} leaves no room for text: the token counter already "
            f"gives {count('')} tokens for an empty string"
        )
    units = _units(text, split_sentences(text, doc.lang), count, max_tokens)
    if not units:
        return []
    # Tokens every call adds on its own (special tokens): counted once per chunk, not per
    # sentence, when estimating a chunk from its sentences.
    overhead = max(0, min(count(""), min(unit.tokens for unit in units)))

    def estimate(indices: list[int]) -> int:
        return overhead + sum(units[i].tokens - overhead for i in indices)

    def real(indices: list[int]) -> int:
        return count(text[units[indices[0]].start : units[indices[-1]].end])

    def paragraph_from(index: int) -> list[int]:
        last = index + 1
        while last < len(units) and not units[last].starts_paragraph:
            last += 1
        return list(range(index, last))

    def fill(overlap: list[int], first: int) -> list[int]:
        members = [*overlap, first]
        following = first + 1
        while following < len(units):
            candidate = [*members, following]
            if estimate(candidate) > max_tokens:
                break
            if (
                units[following].starts_paragraph
                and estimate(members) >= _FULL_ENOUGH * max_tokens
                and estimate([*members, *paragraph_from(following)]) > max_tokens
            ):
                break
            members = candidate
            following += 1
        # The estimate ignores how the tokenizer treats the joins; check the real text.
        while len(members) > len(overlap) + 1 and real(members) > max_tokens:
            members.pop()
        return members

    chunks: list[Chunk] = []
    previous: list[int] = []
    index = 0
    while index < len(units):
        overlap: list[int] = []
        # Only a strict tail of the previous chunk: repeating all of it would make that chunk
        # a redundant subset of this one.
        size = min(overlap_sentences, len(previous) - 1)
        if size > 0:
            tail = previous[-size:]
            if all(units[i].whole for i in tail) and estimate([*tail, index]) <= max_tokens:
                overlap = tail
        members = fill(overlap, index)
        if overlap and real(members) > max_tokens:
            members = fill([], index)
        start, end = units[members[0]].start, units[members[-1]].end
        chunks.append(Chunk(doc.id, len(chunks), start, end, text[start:end]))
        index = members[-1] + 1
        previous = members
    return chunks
