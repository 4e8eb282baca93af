"""The learned parts of answering: the sentence choice, the confidence and its threshold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.errors import QuestionSetError
from qa.calibration import (
    CALIBRATION_FILE,
    CALIBRATION_PATH,
    FEATURES,
    Calibration,
    find_calibration,
    fit_choice,
    fit_logistic,
)
from qa.evaluate import Question, assign_folds, cross_validate, load_questions, mean_report
from qa.sentences import SENTENCE_FEATURES
from qa.service import QAService
from tests.conftest import CORPUS


def test_choice_learns_which_measurement_marks_the_answering_sentence() -> None:
    rng = np.random.default_rng(7)
    groups, labels = [], []
    for _ in range(60):
        rows = rng.normal(size=(8, len(SENTENCE_FEATURES)))
        right = int(np.argmax(rows[:, 2]))  # the third measurement marks the answer
        labels.append(np.arange(8) == right)
        groups.append(rows)
    weights = fit_choice(groups, labels)
    assert int(np.argmax(np.abs(weights))) == 2 and weights[2] > 0
    calibration = Calibration(sentence_weights=tuple(weights))
    # On new groups it picks the row the third measurement marks, but for the odd group where
    # two rows are nearly tied on it and the other weights, fitted on noise, tip the balance.
    agree = 0
    for _ in range(50):
        rows = rng.normal(size=(8, len(SENTENCE_FEATURES)))
        best, share = calibration.sentence_choice(rows)
        agree += best == int(np.argmax(rows[:, 2]))
        assert 1 / 8 < share <= 1.0
    assert agree >= 40  # a choice by any other measurement agrees about one time in eight


def test_choice_fit_does_not_overshoot_on_heavy_tailed_measurements() -> None:
    # Cubed normal measurements, the right row of each group shifted: a plain Newton step from
    # zero overshoots here and lands on weights that put the right row first in only 4 groups
    # of 6; with the step halved until the loss falls, 5 of 6, each right row well ahead.
    rng = np.random.default_rng(222)
    groups, labels = [], []
    for _ in range(6):
        rows = rng.standard_normal((8, 3)) ** 3
        rows[0] += rng.standard_normal(3) * 20
        groups.append(rows)
        labels.append(np.arange(8) == 0)
    weights = fit_choice(groups, labels)
    assert np.all(np.isfinite(weights))
    shares = []
    for rows in groups:
        scores = rows @ weights
        softmax = np.exp(scores - scores.max())
        shares.append(softmax[0] / softmax.sum())
    assert sum(share > 0.5 for share in shares) == 5
    assert float(np.mean(np.log(shares))) > np.log(0.5)


def test_confidence_needs_right_and_wrong_answers_to_learn_from() -> None:
    x = np.ones((4, len(FEATURES)))
    with pytest.raises(QuestionSetError, match="both right and wrong answers"):
        fit_logistic(x, np.ones(4))


def test_choice_needs_at_least_one_question_whose_answer_was_found() -> None:
    rows = np.ones((3, len(SENTENCE_FEATURES)))
    with pytest.raises(QuestionSetError, match="answer sentence"):
        fit_choice([rows], [np.zeros(3, dtype=bool)])


def test_logistic_confidence_rises_with_the_evidence() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, len(FEATURES)))
    y = (x[:, 0] + 0.3 * rng.normal(size=400) > 0).astype(float)
    bias, weights = fit_logistic(x, y)
    calibration = Calibration(bias, tuple(weights))
    strong = dict.fromkeys(FEATURES, 0.0) | {FEATURES[0]: 2.0}
    weak = dict.fromkeys(FEATURES, 0.0) | {FEATURES[0]: -2.0}
    assert calibration.confidence(strong) > 0.9 > 0.1 > calibration.confidence(weak)


def _fitted(embedder: str, bias: float = -1.5) -> Calibration:
    return Calibration(
        bias,
        tuple(float(i) for i in range(len(FEATURES))),
        tuple(0.5 - i for i in range(len(SENTENCE_FEATURES))),
        embedder=embedder,
        fitted_on="questions.jsonl",
        questions=10,
    )


def test_calibration_survives_a_save_and_load(tmp_path: Path) -> None:
    fitted = _fitted("e5-small-q4")
    path = tmp_path / "calibration.json"
    fitted.save(path)
    assert Calibration.load(path) == fitted


def test_an_index_is_answered_with_the_calibration_fitted_for_its_embedder(
    tmp_path: Path,
) -> None:
    """Its own first, then the shipped one; one fitted for another embedder weighs that
    model's similarities, so the prior is used rather than it."""
    index_dir, shipped = tmp_path / "index", tmp_path / "shipped.json"
    index_dir.mkdir()
    _fitted("e5-small-q4", bias=-2.0).save(shipped)
    assert find_calibration(index_dir, "e5-small-q4", shipped) == (
        Calibration.load(shipped),
        shipped,
    )
    assert find_calibration(index_dir, "sentence-transformers:x", shipped) == (Calibration(), None)

    own = index_dir / CALIBRATION_FILE
    _fitted("sentence-transformers:x", bias=-3.0).save(own)
    assert find_calibration(index_dir, "sentence-transformers:x", shipped)[0].bias == -3.0
    assert find_calibration(index_dir, "e5-small-q4", shipped)[0].bias == -2.0
    _fitted("e5-small-q4", bias=-4.0).save(own)
    assert find_calibration(index_dir, "e5-small-q4", shipped) == (Calibration.load(own), own)


def test_the_shipped_calibration_is_for_the_bundled_model(tmp_path: Path) -> None:
    calibration, path = find_calibration(tmp_path, "e5-small-q4")
    assert path == CALIBRATION_PATH
    assert calibration.fitted_on == "questions.jsonl" and calibration.questions >= 200


def test_a_calibration_fitted_on_other_evidence_falls_back_to_the_defaults(
    tmp_path: Path,
) -> None:
    path = tmp_path / "calibration.json"
    path.write_text('{"bias": 1.0, "weights": {"sentence": 1.0}}', encoding="utf-8")
    with pytest.warns(UserWarning, match="--calibrate"):
        fallback = Calibration.load(path)
    assert fallback == Calibration()
    # The defaults weigh every measurement there is, so answering goes on until the next fit.
    rows = np.zeros((3, len(SENTENCE_FEATURES)))
    rows[1, SENTENCE_FEATURES.index("similarity")] = 0.5
    assert fallback.sentence_choice(rows)[0] == 1
    assert 0.0 < fallback.confidence(dict.fromkeys(FEATURES, 0.0)) < 1.0


def test_folds_keep_each_announcement_on_one_side() -> None:
    questions = [
        Question(f"q{n}", doc_id, ("x",), "en")
        for n, doc_id in enumerate(["a", "b", "a", None, "c", "b", None, "d", None])
    ]
    folds = assign_folds(questions, 3)
    by_announcement: dict[str, set[int]] = {}
    for question, fold in zip(questions, folds, strict=True):
        if question.doc_id is not None:
            by_announcement.setdefault(question.doc_id, set()).add(fold)
    assert all(len(seen) == 1 for seen in by_announcement.values())
    assert sorted(fold for q, fold in zip(questions, folds, strict=True) if q.doc_id is None) == [
        0,
        1,
        2,
    ]
    with pytest.raises(ValueError, match="2 folds"):
        assign_folds(questions, 1)


def test_other_deals_split_the_announcements_otherwise_and_the_same_way_each_time() -> None:
    questions = [Question(f"q{n}", f"doc{n % 12}", ("x",), "en") for n in range(36)]
    questions += [Question(f"none{n}", None, (), "en") for n in range(6)]
    first, second = assign_folds(questions, 3, 1), assign_folds(questions, 3, 2)
    assert first == assign_folds(questions, 3, 1)
    assert len({tuple(assign_folds(questions, 3, deal)) for deal in range(3)}) == 3
    for folds in (first, second):
        by_announcement: dict[str | None, set[int]] = {}
        for question, fold in zip(questions, folds, strict=True):
            by_announcement.setdefault(question.doc_id, set()).add(fold)
        assert all(len(by_announcement[f"doc{n}"]) == 1 for n in range(12))
        assert sorted(folds[-6:]) == [0, 0, 1, 1, 2, 2]  # the unanswerable ones, dealt round


def test_several_deals_report_their_mean() -> None:
    reports: list[dict[str, Any]] = [
        {"overall": {"answer_accuracy": 0.7, "abstention_recall": None}, "by_question_lang": {}},
        {"overall": {"answer_accuracy": 0.8, "abstention_recall": 0.5}, "by_question_lang": {}},
    ]
    assert mean_report(reports) == {
        "overall": {"answer_accuracy": 0.75, "abstention_recall": None},
        "by_question_lang": {},
    }


@pytest.mark.slow
def test_cross_validation_answers_every_question_and_keeps_the_saved_fit(
    service: QAService,
) -> None:
    questions = load_questions(CORPUS / "questions.jsonl")[:60]
    saved = service.calibration
    outcomes = cross_validate(service, questions, folds=2)
    assert [o.question for o in outcomes] == [q.question for q in questions]
    assert service.calibration is saved
    # Fitted on other announcements, the choice still finds some answering sentences.
    assert any(o.sentence_correct for o in outcomes)
