"""How lexical evidence joins the dense score: which weight a name match takes, by script."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from index.build import Embedding, ingest_documents
from index.lexical import query_terms
from index.store import IndexReader, IndexWriter
from ingest.documents import Document
from qa.retrieve import RERANK_POOL, Filters, Hit, RetrievalOptions, retrieve
from qa.timeframe import TimeFrame, time_frame
from tests.fakes import FakeEmbedder

# Two announcements naming Lanzhou Jiaotong University: one in Chinese characters, one in
# Russian, where the question's Kazakh spelling of the name is written the same way.
ANNOUNCEMENTS = [
    Document(
        id="exchange-zh",
        title="兰州交通大学交换生抵达阿拉木图",
        text="2023年9月11日，来自兰州交通大学的首批18名交换生抵达阿拉木图。",
        lang="zh",
        date="2023-09-12",
    ),
    Document(
        id="delegation-ru",
        title="Делегация из Ланьчжоу",
        text="В ALT University побывала делегация Ланьчжоуского транспортного университета.",
        lang="ru",
        date="2023-05-02",
    ),
]
QUESTION = ("Ланьчжоу университетінен неше студент келді?", "kk")


def _indexed(index_dir: Path, embedder: FakeEmbedder, documents: list[Document]) -> IndexReader:
    with IndexWriter(index_dir, embedder.name, embedder.dim) as writer:
        report = ingest_documents(writer, Embedding(embedder, 200), documents)
        writer.publish()
    assert report.errors == [], report.errors
    return IndexReader(index_dir, embedder.name)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> IndexReader:
    return _indexed(tmp_path_factory.mktemp("retrieve-index"), FakeEmbedder(), ANNOUNCEMENTS)


def _retrieve(
    reader: IndexReader,
    embedder: FakeEmbedder,
    question: str,
    options: RetrievalOptions,
    frame: TimeFrame | None = None,
    lang: str = "en",
) -> list[Hit]:
    vector = embedder.embed_queries([question])[0]
    terms = query_terms(question, lang)
    return retrieve(reader, vector, terms, lang, 5, Filters(), options, frame)


def _lexical(reader: IndexReader, options: RetrievalOptions) -> dict[str, float]:
    question, lang = QUESTION
    hits = _retrieve(reader, FakeEmbedder(), question, options, lang=lang)
    return {hit.document.document.id: hit.lexical for hit in hits}


def test_a_name_matched_in_chinese_characters_takes_the_cross_script_weight(
    reader: IndexReader,
) -> None:
    only_alphabets = _lexical(reader, RetrievalOptions(shared_weight=0.02, cross_script_weight=0))
    only_han = _lexical(reader, RetrievalOptions(shared_weight=0, cross_script_weight=0.02))
    # The Kazakh question meets the Russian text in its own alphabet, and 兰州 by its spelling.
    assert only_alphabets["delegation-ru"] > 0 == only_alphabets["exchange-zh"]
    assert only_han["exchange-zh"] > 0 == only_han["delegation-ru"]


def test_the_cross_script_weight_scales_what_a_chinese_name_match_adds(
    reader: IndexReader,
) -> None:
    single = _lexical(reader, RetrievalOptions(cross_script_weight=0.02))
    double = _lexical(reader, RetrievalOptions(cross_script_weight=0.04))
    assert double["exchange-zh"] == pytest.approx(2 * single["exchange-zh"])
    assert double["delegation-ru"] == pytest.approx(single["delegation-ru"])


def test_an_announcement_found_by_its_names_is_a_candidate_however_low_its_dense_score(
    tmp_path: Path,
) -> None:
    # More notices than the rerank pool, each sharing a word with the question, rank above the
    # Chinese announcement on dense similarity, which shares none; its name match must still
    # bring it in.
    notices = [
        Document(
            id=f"notice-{n}",
            title="",
            text=f"University notice number {n} on the timetable of lectures in the main hall.",
            lang="en",
        )
        for n in range(RERANK_POOL + 5)
    ]
    embedder = FakeEmbedder(dim=4096)  # wide enough that words rarely share a bucket
    with IndexWriter(tmp_path, embedder.name, embedder.dim) as writer:
        ingest_documents(writer, Embedding(embedder, 200), [*notices, ANNOUNCEMENTS[0]])
        writer.publish()
    reader = IndexReader(tmp_path, embedder.name, centering=False)
    question = "How many students came from Lanzhou Jiaotong University?"
    hits = _retrieve(reader, embedder, question, RetrievalOptions(cross_script_weight=0.5))
    assert hits[0].document.document.id == "exchange-zh"


# Most notices open with the same greeting, so what questions share is the greeting's words; the
# chess club's notice is the only one that answers, in words of its own.
GREETING = "Students of the university, welcome."
GREETING_CORPUS = [
    Document(id="chess", title="", text="The chess club meets on Fridays.", lang="en"),
    *(
        Document(id=topic, title="", text=f"{GREETING} The {topic} opens in spring.", lang="en")
        for topic in ("library", "dormitory", "scholarship", "transcript", "canteen", "gym")
    ),
]


def test_taking_out_the_mean_question_stops_the_common_words_from_ranking_first(
    tmp_path: Path,
) -> None:
    embedder = FakeEmbedder()
    reader = _indexed(tmp_path, embedder, GREETING_CORPUS)
    question = "When does the chess club meet students of the university?"
    vector = embedder.embed_queries([question])[0]

    def first(centering: float) -> Hit:
        return _retrieve(
            reader, embedder, question, RetrievalOptions(question_centering=centering)
        )[0]

    assert first(0.0).document.document.id != "chess"
    chess = first(RetrievalOptions().question_centering)
    assert chess.document.document.id == "chess"
    # The sentences keep their similarity to the question as asked, by which the answer's
    # sentence is chosen.
    best, similarity = chess.sentences[0]
    assert similarity == pytest.approx(float(best.vector @ vector))


# Two years of one hackathon, the older announcement saying more of what the question says, and
# newer notices of other kinds.
HACKATHONS = [
    Document(
        id="hack-2023",
        title="ALT Hack hackathon",
        text="The ALT Hack hackathon was held on 17 November 2023 in the ALT Hub; the winning "
        "hackathon team got the prize.",
        lang="en",
        date="2023-11-20",
    ),
    Document(
        id="hack-2025",
        title="ALT Hack hackathon",
        text="The ALT Hack hackathon will be held on 14 November 2025 in the ALT Hub.",
        lang="en",
        date="2025-10-27",
    ),
    Document(
        id="library",
        title="Library hours",
        text="The library opens at nine on weekdays during the session.",
        lang="en",
        date="2024-01-10",
    ),
    Document(
        id="canteen",
        title="Canteen prices",
        text="A set lunch in the canteen costs 1 500 tenge for everyone.",
        lang="en",
        date="2026-01-15",
    ),
]


ASKED = date(2026, 11, 26)


def _ranked_hackathons(tmp_path: Path) -> Callable[[str, bool], list[str]]:
    """Ask HACKATHONS a question, reading the time in it as on the day `ASKED` (or, without
    `timed`, not at all); the ids of the announcements found, best first."""
    embedder = FakeEmbedder()
    reader = _indexed(tmp_path, embedder, HACKATHONS)

    def ranked(question: str, timed: bool) -> list[str]:
        frame = time_frame(question, ASKED) if timed else None
        hits = _retrieve(reader, embedder, question, RetrievalOptions(), frame)
        return [hit.document.document.id for hit in hits]

    return ranked


def test_an_announcement_that_never_names_the_year_asked_about_falls_behind(
    tmp_path: Path,
) -> None:
    question = "What prize does the ALT Hack hackathon of 2025 give?"
    ranked = _ranked_hackathons(tmp_path)
    # The 2023 results say more of the question's words ("prize"), by less than the date
    # weight (0.03); only the 2025 notice names 2025.
    assert ranked(question, False)[:2] == ["hack-2023", "hack-2025"]
    assert ranked(question, True)[:2] == ["hack-2025", "hack-2023"]
    assert ranked(question.replace("2025", "2023"), True)[0] == "hack-2023"


def test_a_question_after_the_latest_gets_the_newest_of_its_kind(tmp_path: Path) -> None:
    question = "When was the latest ALT Hack hackathon held?"
    ranked = _ranked_hackathons(tmp_path)
    assert ranked(question, False)[:2] == ["hack-2023", "hack-2025"]
    # The older notice leads by more than the recency preference (at most 0.03) makes up; the
    # newest of its kind goes first all the same. The canteen's notice is the newest of all,
    # but of another kind: it stays behind.
    assert ranked(question, True)[:2] == ["hack-2025", "hack-2023"]
