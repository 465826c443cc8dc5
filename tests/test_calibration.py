"""Calibration recovers the weights the sample generator's planted outcomes follow."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from graph.analytics.calibration import WEIGHTS_FILE, fit_weights, load_weights, outcomes, save_weights
from graph.analytics.ties import TieWeights
from graph.errors import InputError
from tools.sample import TRUE_WEIGHTS, plant_outcomes

TOLERANCE = 0.05
"""Largest difference allowed between a recovered and a planted weight (weights sum to 1)."""


def components(n: int, seed: int = 3) -> pd.DataFrame:
    """Ties with components shaped like score_ties': continuous, stepped, mostly zero, or 0/1."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "a": [f"a{i}" for i in range(n)],
            "b": [f"b{i}" for i in range(n)],
            "intensity": rng.random(n),
            "structure": rng.integers(0, 5, n) / 4,
            "collaboration": np.where(rng.random(n) < 0.5, 0.0, rng.random(n)),
            "mentorship": (rng.random(n) < 0.3).astype(float),
            "reciprocity": rng.random(n),
            "duration": rng.random(n),
            "intimacy": (rng.random(n) < 0.3).astype(float),
            "strength": 0.0,
        }
    )


def test_calibration_recovers_the_planted_weights() -> None:
    scored = components(4000)
    labels = plant_outcomes(scored, n=12000, seed=11)
    cal = fit_weights(scored, labels, hand=TieWeights())
    assert cal.hand == {c: getattr(TieWeights(), c) for c in TRUE_WEIGHTS}
    assert sum(cal.fitted.values()) == pytest.approx(1.0, abs=1e-3)
    for c, w in TRUE_WEIGHTS.items():
        assert abs(cal.fitted[c] - w) <= TOLERANCE, (c, cal.fitted[c], w)
    assert cal.auc_fitted > cal.auc_hand  # the planted weights differ from the hand-set ones
    assert cal.n_test == 3000 and len(cal.reliability) == 5
    rates = cal.reliability["carried"].to_numpy()
    assert (np.diff(rates) > 0).all()  # stronger by the fitted weights, more often carried
    print(f"held-out AUC hand-set {cal.auc_hand:.3f}, calibrated {cal.auc_fitted:.3f}")


def test_too_few_or_one_sided_outcomes_are_refused() -> None:
    scored = components(50)
    with pytest.raises(InputError, match="at least 20 answered introduction requests"):
        fit_weights(scored, plant_outcomes(scored, n=10), hand=TieWeights())
    labels = plant_outcomes(scored, n=40).assign(carried=True)
    with pytest.raises(InputError, match=r"found 40 \(40 carried\)"):
        fit_weights(scored, labels, hand=TieWeights())


def test_outcomes_label_the_first_hop_of_answered_requests() -> None:
    requests = pd.DataFrame(
        {
            "requester": ["r", "r", "r", "z"],
            "first_contact": ["m", "n", "o", "r"],
            "state": ["met", "declined", "asked", "introduced"],
        }
    )
    got = outcomes(requests)
    assert got.to_dict("records") == [
        {"a": "m", "b": "r", "carried": True},
        {"a": "n", "b": "r", "carried": False},
        {"a": "r", "b": "z", "carried": True},
    ]


def test_weights_are_adopted_only_when_written(tmp_path) -> None:
    assert load_weights(tmp_path) == TieWeights()
    adopted = TieWeights(intensity=0.25, mentorship=0.3)
    path = save_weights(tmp_path, adopted)
    assert path.name == WEIGHTS_FILE and json.loads(path.read_text())["mentorship"] == 0.3
    assert load_weights(tmp_path, half_life_days=90.0) == TieWeights(
        intensity=0.25, mentorship=0.3, half_life_days=90.0
    )
    path.write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        load_weights(tmp_path)
