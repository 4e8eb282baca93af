"""What answering learns from the dev question set: which sentence answers, and how sure to be.

Both are small linear models fitted by `zharshy eval QUESTIONS --calibrate`, which saves them
beside the index (calibration.json). They weigh the embedder's similarities, so a calibration
serves only the embedder it was fitted for: an index's own comes first, then the one shipped
beside this module (fitted on corpus/questions.jsonl for the bundled model); the defaults below
are only a prior for an embedder that has neither.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import QuestionSetError
from qa.sentences import SENTENCE_FEATURES

# The calibration shipped with the package; an index's own is CALIBRATION_FILE in its folder.
CALIBRATION_FILE = "calibration.json"
CALIBRATION_PATH = Path(__file__).with_name(CALIBRATION_FILE)

# The evidence behind an answer's confidence (see QAService.ask).
FEATURES = (
    "sentence",
    "document",
    "margin",
    "rival_margin",
    "span",
    "lexical",
    "words",
    "choice",
)


# The hand-set prior used before any fit, by name so that a new measurement starts at 0.
_PRIOR_WEIGHTS = {
    "sentence": 0.5,
    "document": 1.0,
    "margin": 1.0,
    "span": 0.5,
    "lexical": 1.0,
    "words": 2.0,
    "choice": 1.0,
}
# Similarity less the topic's share, plus a little for the question's words and for holding the
# kind of answer asked for.
_PRIOR_SENTENCE_WEIGHTS = {"similarity": 1.0, "topic": -1.0, "focus_words": 0.2, "holds_span": 0.06}


@dataclass(frozen=True)
class Calibration:
    """`confidence`: a logistic map from the evidence behind an answer to the probability that
    it is right. `sentence_weights`: a linear score over SENTENCE_FEATURES; the sentence with
    the highest score answers."""

    bias: float = -6.0
    weights: tuple[float, ...] = tuple(_PRIOR_WEIGHTS.get(name, 0.0) for name in FEATURES)
    sentence_weights: tuple[float, ...] = tuple(
        _PRIOR_SENTENCE_WEIGHTS.get(name, 0.0) for name in SENTENCE_FEATURES
    )
    # What it was fitted for and on; None for the prior.
    embedder: str | None = None
    fitted_on: str | None = None
    questions: int = 0

    @classmethod
    def load(cls, path: Path) -> Calibration:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        confidence = data.get("confidence", {})
        sentence = data.get("sentence", {})
        if set(confidence.get("weights", {})) != set(FEATURES) or set(sentence) != set(
            SENTENCE_FEATURES
        ):
            warnings.warn(
                f"{path} was fitted on other evidence; ignoring it until "
                "`zharshy eval QUESTIONS.jsonl --calibrate` fits the index's own",
                stacklevel=2,
            )
            return cls()
        return cls(
            bias=float(confidence["bias"]),
            weights=tuple(float(confidence["weights"][name]) for name in FEATURES),
            sentence_weights=tuple(float(sentence[name]) for name in SENTENCE_FEATURES),
            embedder=data.get("embedder"),
            fitted_on=data.get("fitted_on"),
            questions=int(data.get("questions", 0)),
        )

    def save(self, path: Path) -> None:
        data = {
            "embedder": self.embedder,
            "fitted_on": self.fitted_on,
            "questions": self.questions,
            "confidence": {
                "bias": self.bias,
                "weights": dict(zip(FEATURES, self.weights, strict=True)),
            },
            "sentence": dict(zip(SENTENCE_FEATURES, self.sentence_weights, strict=True)),
        }
        # Whole or not at all: a server or `zharshy status` may be reading the old one.
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        partial.replace(path)

    def confidence(self, features: dict[str, float]) -> float:
        z = self.bias + sum(
            w * features[name] for w, name in zip(self.weights, FEATURES, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def sentence_choice(self, features: np.ndarray) -> tuple[int, float]:
        """The answering sentence's index, and the share of the softmax over the announcement's
        sentences that it takes (1.0 when it stands alone, 1/n when all look alike)."""
        scores = features @ np.asarray(self.sentence_weights)
        shares = np.exp(scores - scores.max())
        shares /= shares.sum()
        best = int(np.argmax(scores))  # argmax keeps the first of equals: the earlier sentence
        return best, float(shares[best])


UNCALIBRATED = (
    "no answer calibration fits the embedder {embedder}: the answering sentence and the "
    "confidence come from an uncalibrated prior; fit one with "
    "`zharshy eval QUESTIONS.jsonl --calibrate`"
)


def find_calibration(
    index_dir: Path, embedder: str, shipped: Path = CALIBRATION_PATH
) -> tuple[Calibration, Path | None]:
    """The calibration fitted for `embedder`, and its file: the index's own, else the shipped
    one; the prior and None when neither was fitted for it."""
    for path in (index_dir / CALIBRATION_FILE, shipped):
        if path.exists():
            calibration = Calibration.load(path)
            if calibration.embedder == embedder:
                return calibration, path
    return Calibration(), None


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2) -> tuple[float, np.ndarray]:
    """Logistic regression by Newton's method on standardised features; returns the bias and
    weights for the raw features."""
    if len(set(y.tolist())) < 2:
        raise QuestionSetError(
            "calibration needs both right and wrong answers in the question set: add questions "
            "the announcements answer, and some with doc_id null that they do not"
        )
    mean, scale = _standardisation(x)
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    weights = np.zeros(z.shape[1])
    for _ in range(100):  # converges in a handful of steps
        p = 1 / (1 + np.exp(-z @ weights))
        gradient = z.T @ (p - y) + l2 * weights
        hessian = (z.T * (p * (1 - p))) @ z + l2 * np.eye(len(weights))
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    raw = weights[1:] / scale
    return float(weights[0] - raw @ mean), raw


def fit_choice(
    groups: Sequence[np.ndarray], labels: Sequence[np.ndarray], l2: float = 1.0
) -> np.ndarray:
    """Conditional logit: weights under which the softmax over each group's rows puts its mass
    on the rows labelled right (several may be). Groups with no right row teach nothing and
    are skipped. Fitted on standardised features; returns weights for the raw ones."""
    kept = [(g, y) for g, y in zip(groups, labels, strict=True) if len(g) and y.any()]
    if not kept:
        raise QuestionSetError(
            "calibration needs questions whose answer sentence was found: add questions with "
            "the doc_id of an indexed announcement and answers written as it writes them"
        )
    mean, scale = _standardisation(np.vstack([g for g, _ in kept]))
    kept = [((g - mean) / scale, y.astype(np.float64)) for g, y in kept]
    weights = np.zeros(len(mean))
    loss = _choice_loss(kept, weights, l2)
    for _ in range(100):
        gradient = l2 * weights
        hessian = l2 * np.eye(len(weights))
        for x, y in kept:
            scores = x @ weights
            p = np.exp(scores - scores.max())
            p /= p.sum()
            # The softmax restricted to the right rows, from their own best score: the right
            # rows' share of `p` can underflow to zero when a step overshoots.
            right = np.where(y > 0, scores, -np.inf)
            q = np.exp(right - right.max())
            q /= q.sum()
            gradient += x.T @ (p - q)
            centre = p @ x
            hessian += (x * p[:, None]).T @ x - np.outer(centre, centre)
        step = np.linalg.solve(hessian, gradient)
        # A full Newton step can overshoot this loss, which is not quadratic: halve it until
        # the loss falls.
        size = 1.0
        while size > 1e-6:
            candidate = weights - size * step
            candidate_loss = _choice_loss(kept, candidate, l2)
            if candidate_loss <= loss:
                break
            size /= 2
        else:
            break
        weights, loss = candidate, candidate_loss
        if np.abs(size * step).max() < 1e-8:
            break
    # A constant shift of every row's score leaves a softmax unchanged: only the scale matters.
    result: np.ndarray = weights / scale
    return result


def _choice_loss(
    kept: Sequence[tuple[np.ndarray, np.ndarray]], weights: np.ndarray, l2: float
) -> float:
    """The negative log of the softmax mass on the right rows, summed over the groups, plus
    the ridge penalty."""
    total = 0.5 * l2 * float(weights @ weights)
    for x, y in kept:
        scores = x @ weights
        top = scores.max()
        right = scores[y > 0]
        total += top + math.log(np.exp(scores - top).sum())
        total -= right.max() + math.log(np.exp(right - right.max()).sum())
    return total


def _standardisation(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0  # a feature constant over the set carries no information
    return mean, scale
