"""Per-language word analysis for lexical matching.

Russian and English words are reduced by their Snowball stemmers; Kazakh, which has no Snowball
stemmer and adds suffix after suffix, is cut to its first five letters (prefix truncation works as
well as a stemmer for agglutinative languages: Can et al., 2008, on Turkish retrieval); Chinese,
written without spaces, becomes overlapping character pairs, the usual unit for CJK retrieval.
Numbers and Latin-script names ("ALT University") are kept whole in every language, so they
match across languages too, and so are names written in another script: romanised, and for
Chinese also in the Palladius spelling that Russian and Kazakh use for Chinese names.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from anyascii import anyascii

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CJK_SPLIT = re.compile(f"({_CJK.pattern})")
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KAZAKH_LETTERS = set("әғқңөұүһі")
_KAZAKH_PREFIX = 5

# Question words and the commonest function words: they say nothing about what is asked.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "did",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "me",
        "many",
        "much",
        "my",
        "of",
        "on",
        "or",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "you",
        "your",
        "а",
        "без",
        "более",
        "бы",
        "был",
        "была",
        "были",
        "было",
        "в",
        "во",
        "вот",
        "все",
        "всё",
        "где",
        "да",
        "для",
        "до",
        "его",
        "ее",
        "её",
        "если",
        "есть",
        "же",
        "за",
        "и",
        "из",
        "или",
        "им",
        "их",
        "к",
        "как",
        "какая",
        "какие",
        "каким",
        "какой",
        "какого",
        "когда",
        "кого",
        "кому",
        "кто",
        "ли",
        "либо",
        "мне",
        "может",
        "на",
        "над",
        "не",
        "нет",
        "ни",
        "но",
        "о",
        "об",
        "от",
        "по",
        "под",
        "при",
        "про",
        "с",
        "со",
        "так",
        "также",
        "то",
        "только",
        "у",
        "уже",
        "чем",
        "что",
        "чтобы",
        "эт",
        "это",
        "этот",
        "я",
        "сколько",
        "ли",
        "будет",
        "будут",
        "можно",
        "нужно",
        "мен",
        "және",
        "бен",
        "пен",
        "мен",
        "да",
        "де",
        "та",
        "те",
        "ма",
        "ме",
        "ба",
        "бе",
        "па",
        "пе",
        "ғой",
        "қашан",
        "қай",
        "қандай",
        "қанша",
        "неше",
        "кім",
        "не",
        "нені",
        "қайда",
        "қалай",
        "үшін",
        "бұл",
        "осы",
        "сол",
        "ол",
        "олар",
        "бар",
        "жоқ",
        "болады",
        "болды",
        "ме",
        "ма",
        "ма",
        "ба",
        "бе",
        "па",
        "пе",
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "吗",
        "呢",
        "什么",
        "哪",
        "谁",
        "几",
        "多少",
        "怎么",
        "为什么",
        "时候",
    ]
)


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def _cjk_pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def analyze(text: str, lang: str) -> list[str]:
    """The terms of `text` for matching, stop words dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    terms: list[str] = []
    for token in TOKEN.findall(text):
        for part in _CJK_SPLIT.split(token):
            if not part or part in STOPWORDS:
                continue
            if _CJK.fullmatch(part):
                terms.extend(p for p in _cjk_pairs(part) if p not in STOPWORDS)
            elif part.isdigit():
                terms.append(part)
            elif _LATIN.search(part):
                terms.append(_stemmer("english").stemWord(part))
            elif lang == "kk" or _KAZAKH_LETTERS.intersection(part):
                terms.append(part[:_KAZAKH_PREFIX])
            else:
                terms.append(_stemmer("russian").stemWord(part))
    return terms


def distinctive_overlap(
    question_terms: set[str], sentences: Sequence[Collection[str]]
) -> list[float]:
    """For each sentence of one document, the share of the question's weight it holds, where
    a term weighs by how few of the document's sentences use it.

    Words every sentence shares ("ALT Hack 2023") name the document's topic; the question's
    rarer words ("участник") point at the one sentence that answers.
    """
    if not question_terms or not sentences:
        return [0.0] * len(sentences)
    count = len(sentences)
    frequency: dict[str, int] = {}
    for terms in sentences:
        for term in set(terms):
            frequency[term] = frequency.get(term, 0) + 1

    def weight(term: str) -> float:
        return math.log((count + 1) / (frequency.get(term, 0) + 0.5))

    total = sum(weight(term) for term in question_terms)
    return [
        sum(weight(t) for t in question_terms.intersection(terms)) / total for terms in sentences
    ]


_SYLLABLE = re.compile(r"[A-Z][a-z]*|[a-z]+|\d+")


def _romanised_words(token: str) -> list[str]:
    """A non-Latin token in Latin letters, split into words (Chinese into syllables)."""
    return [w.lower() for w in _SYLLABLE.findall(anyascii(token))]


@dataclass(frozen=True)
class Terms:
    """A text's lexical terms in two kinds.

    `native` are its analysed words, comparable only with texts in the same language.
    `shared` are the terms that mean the same in any language: numbers, romanised names (every
    adjacent pair of words romanised and joined, so "Luban", "Лу Бань" and "鲁班" all give
    "luban") and, outside English, words in Latin script ("ALT University", "Kaspi QR").
    `spellings` are the shared terms that only guess at how a Chinese name is spelled in
    another script (every run of syllables in pinyin and Palladius, every beginning of a
    capitalised Cyrillic word): they find announcements, but are too many to weigh a sentence.
    """

    native: list[str]
    shared: list[str]
    spellings: frozenset[str] = frozenset()


def index_terms(text: str, lang: str, *, with_spellings: bool = True) -> Terms:
    """The terms under which a passage is found (without spellings: the terms a sentence is
    weighed by, see `Terms`)."""
    native = analyze(text, lang)
    shared = [t for t in native if t.isdigit() or (lang != "en" and t.isascii())]
    pairs = _romanised_pairs(text)
    spellings = frozenset(_chinese_spellings(text) if with_spellings else []) - set(pairs)
    return Terms(native, shared + pairs + sorted(spellings), spellings)


def query_terms(text: str, lang: str) -> Terms:
    """The terms a question looks for: as a passage's, plus its own Latin words whole, since
    an English "Luban" is a name to find in Russian text as much as a word."""
    native = analyze(text, lang)
    shared = [t for t in native if t.isdigit() or t.isascii()]
    words = [
        word
        for word in (w.casefold() for w in TOKEN.findall(text))
        if word.isascii() and not word.isdigit() and word not in STOPWORDS
    ]
    pairs = _romanised_pairs(text)
    spellings = frozenset(_chinese_spellings(text) + _cyrillic_name_beginnings(text)) - set(pairs)
    return Terms(native, shared + words + pairs + sorted(spellings), spellings)


def _romanised_pairs(text: str) -> list[str]:
    romanised: list[str] = []
    for token in TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()):
        # Chinese runs apart from the Latin words they touch ("去年的alt"): romanised together,
        # "的" and "alt" would run into one word, "dealt".
        for part in _CJK_SPLIT.split(token):
            if part and part not in STOPWORDS:
                romanised.extend([part] if part.isascii() else _romanised_words(part))
    return [a + b for a, b in itertools.pairwise(romanised) if not (a.isdigit() or b.isdigit())]


def _chinese_spellings(text: str) -> list[str]:
    return [name for run in _CJK.findall(text) for name in _chinese_names(run)]


# Chinese names run to two or three syllables: 鲁班, 兰州, 石家庄.
_NAME_SYLLABLES = (2, 3)
# A Cyrillic word shorter than this is too common a beginning to stand for a name.
_MIN_NAME_LETTERS = 6


def _letters(text: str) -> str:
    return "".join(c for c in anyascii(text).lower() if "a" <= c <= "z")


def _chinese_names(run: str) -> list[str]:
    """Every two and three syllables of a Chinese run, spelled as English writes Chinese names
    (pinyin: 石家庄 → shijiazhuang) and as Russian and Kazakh do (Palladius: Шицзячжуан →
    shitszyachzhuan), romanised; which of them are names is left to the match."""
    # Imported here: its phrase dictionary takes a seventh of a second to load, and most
    # commands (a re-ingest of unchanged files, a question in Russian) never meet Chinese.
    from pypinyin import Style, lazy_pinyin

    names: list[str] = []
    for style in (Style.NORMAL, Style.CYRILLIC):
        syllables = [s for s in map(_letters, lazy_pinyin(run, style=style)) if s]
        for size in _NAME_SYLLABLES:
            names.extend("".join(syllables[i : i + size]) for i in range(len(syllables) - size + 1))
    return names


def _cyrillic_name_beginnings(text: str) -> list[str]:
    """The romanised beginnings of a question's capitalised Cyrillic words, so a name with a
    Russian or Kazakh ending ("Шицзячжуанского", "Ланьчжоудан") meets the spelling a Chinese
    text is indexed under (`_chinese_names`)."""
    beginnings: list[str] = []
    for token in TOKEN.findall(unicodedata.normalize("NFKC", text)):
        if not (token[0].isupper() and _CYRILLIC.match(token)):
            continue
        letters = _letters(token)
        beginnings.extend(letters[:n] for n in range(_MIN_NAME_LETTERS, len(letters) + 1))
    return beginnings
