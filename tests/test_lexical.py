"""Lexical terms: the same name in any script meets itself; unrelated words do not."""

from __future__ import annotations

import pytest

from index.lexical import index_terms, query_terms

AGREEMENT_ZH = "2025年4月18日，ALT大学与石家庄铁道大学在阿拉木图签署校际合作协议。"
EXCHANGE_ZH = "2023年9月11日，来自兰州交通大学的首批18名交换生抵达阿拉木图。"
SEED_RU = 'В 2025 году ALT University был удостоен проекта "Мастерская Лу Бань".'


def _shared(question: str, lang: str, text: str, text_lang: str) -> set[str]:
    return set(query_terms(question, lang).shared) & set(index_terms(text, text_lang).shared)


@pytest.mark.parametrize(
    ("question", "lang", "text", "text_lang"),
    [
        # Palladius spelling, with a Russian case ending
        (
            "Кто подписал соглашение со стороны Шицзячжуанского университета?",
            "ru",
            AGREEMENT_ZH,
            "zh",
        ),
        (
            "Шицзячжуан темір жол университетімен келісімге қашан қол қойылды?",
            "kk",
            AGREEMENT_ZH,
            "zh",
        ),
        ("Ланьчжоу университетінен неше студент келді?", "kk", EXCHANGE_ZH, "zh"),
        # pinyin, as English writes it
        ("When did Shijiazhuang Tiedao University sign the agreement?", "en", AGREEMENT_ZH, "zh"),
        # Chinese and English questions about a name in a Russian text
        ("鲁班工坊是哪一年授予的？", "zh", SEED_RU, "ru"),
        ("When was the Luban workshop awarded?", "en", SEED_RU, "ru"),
        # a Latin name written up against Chinese characters, in an English text
        (
            "去年的ALT Hack黑客马拉松是什么时候举行的？",
            "zh",
            "ALT University invites students to ALT Hack, a 48-hour hackathon.",
            "en",
        ),
    ],
)
def test_a_name_matches_across_scripts(question: str, lang: str, text: str, text_lang: str) -> None:
    assert _shared(question, lang, text, text_lang)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Когда начинается зимняя сессия в Алматы?", "ru"),
        ("Қысқы сессия қашан басталады?", "kk"),
        ("When does the winter exam session start?", "en"),
    ],
)
def test_a_question_naming_nothing_in_the_text_shares_no_term_with_it(
    question: str, lang: str
) -> None:
    assert not _shared(question, lang, AGREEMENT_ZH, "zh")
