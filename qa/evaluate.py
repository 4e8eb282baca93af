"""`zharshy eval`: retrieval and answer quality on a question set, and confidence calibration.

Each line of the set is `{"question", "doc_id", "answers", "lang"}`; `doc_id` null means the
corpus holds no answer and the right reply is none; an optional `also_doc_ids` lists other
announcements that state the same answer (a later notice that restates it). The same `ask` the
API runs is measured.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import QuestionSetError
from ingest.language import detect_language
from qa.answer import date_spans, publication_day
from qa.calibration import (
    FEATURES,
    Calibration,
    fit_choice,
    fit_logistic,
)
from qa.schema import confidence_band
from qa.service import QAService
from settings import default


@dataclass(frozen=True)
class Question:
    question: str
    doc_id: str | None
    answers: tuple[str, ...]
    lang: str
    # The day the question is asked, for "last year" and "latest" (default: today).
    asked: date | None = None
    # Other announcements that state the same answer: "the other conditions are unchanged:
    # 80 000 теңге a month" in the notice that extends a competition answers as the original.
    also_doc_ids: tuple[str, ...] = ()

    @property
    def answered_by(self) -> frozenset[str]:
        """The announcements whose answer counts as right."""
        if self.doc_id is None:
            return frozenset()
        return frozenset((self.doc_id, *self.also_doc_ids))


@dataclass
class Outcome:
    question: str
    lang: str
    expected_doc_id: str | None
    doc_lang: str | None
    rank: int | None  # 1-based rank of the expected document among the sources, None if absent
    top_doc_ids: list[str]
    answer: str | None  # after the confidence threshold
    candidate: str | None  # before it
    sentence: str | None
    confidence: float
    seconds: float
    features: list[float] = field(default_factory=list)
    band: str = "low"  # qa.schema.confidence_band
    answer_correct: bool = False
    sentence_correct: bool = False


_QUESTION_LINE = "one JSON object a line: question, doc_id (null: no answer), answers, lang"


def load_questions(path: Path) -> list[Question]:
    """The question set in `path`; a line without `lang` takes the language its question is
    written in."""
    questions = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                questions.append(_question(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise QuestionSetError(
                    f"{path}:{number}: not a question line ({exc}); {_QUESTION_LINE}"
                ) from exc
    if not questions:
        raise QuestionSetError(f"{path} holds no questions; {_QUESTION_LINE}")
    return questions


def _question(data: dict[str, Any]) -> Question:
    question, doc_id = data["question"], data.get("doc_id")
    answers, also = data.get("answers") or [], data.get("also_doc_ids") or []
    if not isinstance(question, str) or not question.strip():
        raise ValueError("the question must be text")
    if doc_id is not None and not isinstance(doc_id, str):
        raise ValueError("doc_id must be an announcement's id or null")
    # A bare string would count each of its characters as an answer.
    if not isinstance(answers, list) or not isinstance(also, list):
        raise ValueError("answers and also_doc_ids must be lists")
    return Question(
        question,
        doc_id,
        tuple(str(a) for a in answers),
        str(data.get("lang") or detect_language(question)),
        date.fromisoformat(data["asked"]) if data.get("asked") else None,
        tuple(str(d) for d in also),
    )


def unknown_announcements(questions: Sequence[Question], service: QAService) -> list[str]:
    """The ids the question set expects answers from that the index does not hold: a typo there
    counts every answer to that question as wrong."""
    reader = service.reader
    expected = sorted({doc_id for item in questions for doc_id in item.answered_by})
    return [doc_id for doc_id in expected if reader.document_by_id(doc_id) is None]


def normalise_answer(text: str) -> str:
    """Case, spacing and punctuation do not count when comparing answers, except the dots inside
    a Latin name such as a web address: "ALT-Edu" is not in "help.alt.edu.kz"."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"(?<=[a-z])\.(?=[a-z])", "", text)
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


def matches(gold: Iterable[str], text: str | None, published: date | None = None) -> bool:
    """True when a gold answer occurs in `text`. Dates written in words count in their ISO form
    ("11 April 2023" matches "2023-04-11"; a date without its year takes the year the
    announcement `published` on gives it), and "150 000" matches "150000"."""
    if not text:
        return False
    iso_dates = " ".join(span.value for span in date_spans(text, published))
    haystack = normalise_answer(f"{text} {iso_dates}")
    joined_groups = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", haystack)
    for answer in gold:
        expected = normalise_answer(answer)
        if not expected:
            continue
        # A gold answer is not part of a longer word or number ("15" is not in "150"); one that
        # starts or ends in a Chinese character has no word edge there ("每周二和周四18:30").
        before = "" if _is_han(expected[0]) else "(?<![0-9a-zа-яёәғқңөұүһі])"
        if _is_han(expected[-1]):
            after = ""
        elif expected[-1].isascii() and expected[-1].isalpha():
            after = "(?![0-9a-z])"  # a Latin word takes no ending: "F" is not in "FX"
        else:
            after = r"(?!\d)"  # a Russian or Kazakh one may: "Хань Чуньлин" in "Хань Чуньлином"
        if re.search(before + re.escape(expected) + after, haystack):
            return True
        compact = expected.replace(" ", "")
        if compact.isdigit() and re.search(rf"(?<!\d){compact}(?!\d)", joined_groups):
            return True
    return False


def _is_han(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff"


def run(service: QAService, questions: Sequence[Question], k: int = 10) -> list[Outcome]:
    outcomes = []
    for item in questions:
        started = time.perf_counter()
        reply = service.ask(item.question, k=k, min_confidence=0.0, today=item.asked)
        seconds = time.perf_counter() - started
        top = [s.doc_id for s in reply.sources]
        # An announcement shown as another language version of itself counts as found.
        rank = next(
            (n for n, s in enumerate(reply.sources, 1) if item.answered_by & set(s.doc_ids)),
            None,
        )
        doc_lang = None
        if item.doc_id is not None:
            stored = service.reader.document_by_id(item.doc_id)
            doc_lang = stored.document.lang if stored else None
        answered = reply.confidence >= service.min_confidence
        outcome = Outcome(
            question=item.question,
            lang=item.lang,
            expected_doc_id=item.doc_id,
            doc_lang=doc_lang,
            rank=rank,
            top_doc_ids=top,
            answer=reply.answer if answered else None,
            candidate=reply.answer,
            sentence=reply.sentence,
            confidence=reply.confidence,
            seconds=seconds,
            features=[reply.scores[name] for name in FEATURES],
            band=confidence_band(reply.confidence, service.min_confidence),
        )
        if item.doc_id is not None and rank == 1:
            outcome.answer_correct = matches(item.answers, reply.answer)
            published = publication_day(reply.sources[0].date)
            outcome.sentence_correct = matches(item.answers, reply.sentence, published)
        outcomes.append(outcome)
    return outcomes


def _metrics(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    answerable = [o for o in outcomes if o.expected_doc_id is not None]
    unanswerable = [o for o in outcomes if o.expected_doc_id is None]
    result: dict[str, Any] = {"questions": len(outcomes), "answerable": len(answerable)}
    if answerable:
        for cut in (1, 5, 10):
            result[f"recall@{cut}"] = round(
                sum(1 for o in answerable if o.rank is not None and o.rank <= cut)
                / len(answerable),
                4,
            )
        result["mrr@10"] = round(
            sum(1 / o.rank for o in answerable if o.rank is not None and o.rank <= 10)
            / len(answerable),
            4,
        )
        result["answer_accuracy"] = round(
            sum(1 for o in answerable if o.answer is not None and o.answer_correct)
            / len(answerable),
            4,
        )
        result["candidate_accuracy"] = round(
            sum(1 for o in answerable if o.answer_correct) / len(answerable), 4
        )
        result["sentence_accuracy"] = round(
            sum(1 for o in answerable if o.sentence_correct) / len(answerable), 4
        )
        result.update(_losses(answerable))
    abstained = [o for o in outcomes if o.answer is None]
    if unanswerable or abstained:
        right = sum(1 for o in abstained if o.expected_doc_id is None)
        result["abstention_precision"] = round(right / len(abstained), 4) if abstained else None
        result["abstention_recall"] = round(right / len(unanswerable), 4) if unanswerable else None
    # How often an answer is right in each confidence band: withheld ("low") answers should
    # be right less than a third of the time, "high" ones more than nine times in ten.
    for band, members in _bands(outcomes).items():
        result[f"right_{band}"] = (
            round(sum(1 for o in members if o.answer_correct) / len(members), 4)
            if members
            else None
        )
        result[f"n_{band}"] = len(members)
    seconds = sorted(o.seconds for o in outcomes)
    if seconds:
        result["latency_p50_ms"] = round(1000 * statistics.median(seconds), 1)
        result["latency_p95_ms"] = round(
            1000 * seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))], 1
        )
    return result


# Where the answerable questions' answers end up, in the order they are lost: each question
# is counted once.
LOSSES = ("answered_right", "withheld_right", "first_but_wrong", "another_first")


def _losses(answerable: Sequence[Outcome]) -> dict[str, int]:
    """How many are answered right; right but withheld by the confidence; wrong although the
    expected announcement came first (the sentence or its span); and wrong with another
    announcement first."""
    counts = dict.fromkeys(LOSSES, 0)
    for outcome in answerable:
        if outcome.answer_correct:
            counts["answered_right" if outcome.answer is not None else "withheld_right"] += 1
        else:
            counts["first_but_wrong" if outcome.rank == 1 else "another_first"] += 1
    return counts


def _bands(outcomes: Sequence[Outcome]) -> dict[str, list[Outcome]]:
    bands: dict[str, list[Outcome]] = {"low": [], "medium": [], "high": []}
    for outcome in outcomes:
        bands[outcome.band].append(outcome)
    return bands


def metrics(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Overall, per question language, and per (question → document language) pair."""
    by_lang: dict[str, list[Outcome]] = defaultdict(list)
    by_pair: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_lang[outcome.lang].append(outcome)
        if outcome.doc_lang is not None:
            by_pair[f"{outcome.lang}->{outcome.doc_lang}"].append(outcome)
    return {
        "overall": _metrics(outcomes),
        "by_question_lang": {lang: _metrics(group) for lang, group in sorted(by_lang.items())},
        "by_lang_pair": {pair: _metrics(group) for pair, group in sorted(by_pair.items())},
    }


def mean_report(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The mean of several reports of `metrics` (one per deal of the folds), value by value; a
    value that is None in any of them is None."""
    return {key: _mean_value([report.get(key) for report in reports]) for key in reports[0]}


def _mean_value(values: list[Any]) -> Any:
    if isinstance(values[0], dict):
        return mean_report(values)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return round(statistics.fmean(values), 4)
    return None


def shortfalls(report: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """Where a metric falls below its threshold, overall or in any question language."""
    problems = []
    groups = {"overall": report["overall"], **report["by_question_lang"]}
    for metric, minimum in thresholds.items():
        if not any(metric in values for values in groups.values()):
            problems.append(f"{metric}: no such metric")
            continue
        for group, values in groups.items():
            value = values.get(metric)
            if value is not None and value < minimum:
                problems.append(f"{group} {metric} {value} < {minimum}")
    return problems


def question_rows(outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    rows = []
    for outcome in outcomes:
        row = asdict(outcome)
        for private in ("candidate", "features", "doc_lang", "band"):
            row.pop(private)
        rows.append(row)
    return rows


def fit_calibration(service: QAService, questions: Sequence[Question], k: int = 10) -> Calibration:
    """Fit both learned parts of answering on a question set.

    First the sentence choice, on the questions whose answering announcement comes first:
    its sentences holding a gold answer are the right ones. Then, with that choice in place,
    the confidence: a logistic regression of "the answer is right" (never, for a question the
    corpus cannot answer) on the evidence behind each answer.
    """
    groups, labels = [], []
    for item in questions:
        if item.doc_id is None:
            continue
        candidates = service.sentence_candidates(item.question, k, today=item.asked)
        if candidates is None or not item.answered_by & candidates.hit.doc_ids:
            continue
        published = publication_day(candidates.hit.document.document.date)
        groups.append(candidates.features)
        labels.append(
            np.array([matches(item.answers, text, published) for text in candidates.texts])
        )
    sentence_weights = tuple(float(w) for w in fit_choice(groups, labels))
    service.calibration = Calibration(sentence_weights=sentence_weights)
    outcomes = run(service, questions, k=k)
    x = np.array([o.features for o in outcomes], dtype=np.float64)
    y = np.array([1.0 if o.answer_correct else 0.0 for o in outcomes])
    bias, weights = fit_logistic(x, y)
    return Calibration(
        bias,
        tuple(float(w) for w in weights),
        sentence_weights,
        embedder=service.embedder.name,
        questions=len(questions),
    )


def assign_folds(questions: Sequence[Question], folds: int, deal: int = 0) -> list[int]:
    """Each question's fold: an announcement's questions share one, the announcements are dealt
    round the folds, and so are the questions with no answer. Deal 0 goes in order of id and
    input; every other deal shuffles both the same way each time (the deal seeds it), so
    several deals measure how much a result owes to one split."""
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    announcements = sorted({q.doc_id for q in questions if q.doc_id is not None})
    unanswerable = [n for n, q in enumerate(questions) if q.doc_id is None]
    if deal:
        shuffle = random.Random(deal).shuffle
        shuffle(announcements)
        shuffle(unanswerable)
    fold_of_announcement = {doc_id: n % folds for n, doc_id in enumerate(announcements)}
    fold_of_unanswerable = {number: n % folds for n, number in enumerate(unanswerable)}
    return [
        fold_of_announcement[q.doc_id] if q.doc_id is not None else fold_of_unanswerable[n]
        for n, q in enumerate(questions)
    ]


def cross_validate(
    service: QAService,
    questions: Sequence[Question],
    folds: int = 5,
    k: int = 10,
    deal: int = 0,
) -> list[Outcome]:
    """Every question answered with the sentence choice and confidence fitted on the other
    folds: what the learned parts are worth on questions they were not fitted on.

    Folds split by announcement, so no announcement's questions are on both sides; questions
    with no answer are dealt round the folds in turn (`assign_folds`, which `deal` seeds). The
    outcomes come back in input order, and the service keeps its own calibration afterwards.
    """
    fold_of = assign_folds(questions, folds, deal)
    fitted = service.calibration
    outcomes: list[Outcome | None] = [None] * len(questions)
    try:
        for fold in range(folds):
            held_out = [n for n in range(len(questions)) if fold_of[n] == fold]
            training = [q for n, q in enumerate(questions) if fold_of[n] != fold]
            service.calibration = fit_calibration(service, training, k=k)
            for n, outcome in zip(
                held_out, run(service, [questions[n] for n in held_out], k=k), strict=True
            ):
                outcomes[n] = outcome
    finally:
        service.calibration = fitted
    return [outcome for outcome in outcomes if outcome is not None]


# Each component switched on in turn, at its default weight, for `zharshy eval --ablation`
# (docs/quality.md).
ABLATION_STEPS: list[tuple[str, dict[str, Any]]] = [
    (
        "dense only",
        {
            "language_centering": False,
            "question_centering": 0.0,
            "whitening": 0.0,
            "sentence_weight": 0.0,
            "lexical_own_language": 0.0,
            "lexical_shared": 0.0,
            "lexical_cross_script": 0.0,
            "date_weight": 0.0,
            "word_translation_floor": 1.0,
            "reranker": None,
        },
    ),
    ("+ language centering", {"language_centering": True}),
    ("+ sentence rescoring", {"sentence_weight": default("sentence_weight")}),
    (
        "+ lexical: names and numbers across languages (default)",
        {
            "lexical_shared": default("lexical_shared"),
            "lexical_cross_script": default("lexical_shared"),
        },
    ),
    (
        "+ lexical: names across the Chinese script boundary count more (default)",
        {"lexical_cross_script": default("lexical_cross_script")},
    ),
    (
        "+ date handling: the year asked about, or the newest (default)",
        {"date_weight": default("date_weight")},
    ),
    (
        "+ question centering: half the mean question taken out (default)",
        {"question_centering": default("question_centering")},
    ),
    (
        "+ partial whitening (default)",
        {"whitening": default("whitening")},
    ),
    (
        "+ word translations for the sentence (default)",
        {"word_translation_floor": default("word_translation_floor")},
    ),
    (
        "+ lexical: words in the question's language (off by default)",
        {"lexical_own_language": 0.01},
    ),
]


def same_or_cross(outcomes: Sequence[Outcome]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.doc_lang is not None:
            groups["same" if outcome.doc_lang == outcome.lang else "cross"].append(outcome)
    return {name: _metrics(group) for name, group in groups.items()}


def ablation_table(steps: Sequence[tuple[str, Sequence[Outcome]]]) -> str:
    """Markdown: one row per configuration; recall@1/@5, MRR@10, answer accuracy overall, per
    question language and same- versus cross-language; then recall@1 per language pair."""
    first = metrics(steps[0][1])
    languages = list(first["by_question_lang"])
    pairs = list(first["by_lang_pair"])
    groups = ["overall", *languages, "same", "cross"]
    lines = [
        "| configuration | " + " | ".join(f"{g} R@1 / R@5 / MRR / ans" for g in groups) + " |",
        "|---|" + "---|" * len(groups),
    ]
    pair_lines = [
        "| configuration | " + " | ".join(pairs) + " |",
        "|---|" + "---|" * len(pairs),
    ]
    for name, outcomes in steps:
        report = metrics(outcomes)
        by_group = {
            "overall": report["overall"],
            **report["by_question_lang"],
            **same_or_cross(outcomes),
        }
        cells = [
            "{recall@1:.2f} / {recall@5:.2f} / {mrr@10:.2f} / {answer_accuracy:.2f}".format(
                **by_group[g]
            )
            for g in groups
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        pair_cells = [f"{report['by_lang_pair'][p]['recall@1']:.2f}" for p in pairs]
        pair_lines.append(f"| {name} | " + " | ".join(pair_cells) + " |")
    counts = " · ".join(f"{p}: {first['by_lang_pair'][p]['questions']}" for p in pairs)
    return "\n".join(
        [
            *lines,
            "",
            "Recall@1 per question → announcement language:",
            "",
            *pair_lines,
            "",
            f"Questions per pair: {counts}.",
        ]
    )
