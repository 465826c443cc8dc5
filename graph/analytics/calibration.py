r"""Calibrating tie-strength weights on recorded introduction outcomes.

Gilbert and Karahalios [1]_ fitted their tie-strength model to people's own
ratings of their ties.  tiegraph has a better label for what its strengths are
for: whether a first contact carried an introduction request (introduced or
met) or not (declined, no answer), from :mod:`graph.analytics.introductions`.
Each answered request labels one tie, the resident's tie to the person asked.

The fit is an L2-regularised logistic regression [2]_ (scikit-learn,
``C = 1``, features standardised) of that label on the tie's components as
:func:`graph.analytics.ties.score_ties` computes them.  The fitted
coefficients, clipped at 0 (a component that lowers the chance gets no
weight) and rescaled to the hand-set weights' total, are the calibrated
weights; strength stays a weighted sum in [0, 1].  The fit is reported on a
held-out quarter of the labels, stratified: ROC AUC [3]_ of the hand-set
strength and of the calibrated strength, and the Brier score and a
reliability table of each read as a probability.  New weights are adopted only
when asked (``tiegraph calibrate --adopt`` writes ``tie_weights.json`` in
TIEGRAPH_HOME, which ``analyze`` reads).

References
----------
.. [1] Gilbert, E. and Karahalios, K. Predicting tie strength with social
   media. CHI 2009, 211-220. https://doi.org/10.1145/1518701.1518736
.. [2] le Cessie, S. and van Houwelingen, J. C. Ridge estimators in logistic
   regression. Applied Statistics 41(1):191-201, 1992. https://doi.org/10.2307/2347628
.. [3] Hanley, J. A. and McNeil, B. J. The meaning and use of the area under a
   receiver operating characteristic (ROC) curve. Radiology 143(1):29-36, 1982.
   https://doi.org/10.1148/radiology.143.1.7063747
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from graph.analytics.introductions import ANSWERED, CARRIED
from graph.analytics.ties import TieWeights
from graph.errors import InputError

__all__ = ["WEIGHTS_FILE", "Calibration", "components_of", "fit_weights", "load_weights", "outcomes", "save_weights"]

WEIGHTS_FILE = "tie_weights.json"
"""Where adopted weights live in TIEGRAPH_HOME."""
MIN_LABELS = 20
"""Fewer answered requests than this, or one outcome only, and there is nothing to fit."""


@dataclass(frozen=True)
class Calibration:
    """A fit and how it compares with the hand-set weights on held-out outcomes."""

    hand: dict[str, float]
    fitted: dict[str, float]
    n_train: int
    n_test: int
    auc_hand: float
    auc_fitted: float
    brier_hand: float
    brier_fitted: float
    reliability: pd.DataFrame  # bin, n, mean strength (hand, fitted), share carried

    def weights(self, base: TieWeights | None = None) -> TieWeights:
        """The fitted weights as :class:`TieWeights` (tuning constants from ``base``)."""
        return replace(base or TieWeights(), **self.fitted)


def components_of(frame: pd.DataFrame, weights: TieWeights | None = None) -> list[str]:
    """The weighted components present in a scored-ties frame: the :class:`TieWeights` fields it has as columns."""
    w = weights or TieWeights()
    return [f.name for f in fields(w) if f.name in frame.columns and isinstance(getattr(w, f.name), float)]


def outcomes(requests: pd.DataFrame) -> pd.DataFrame:
    """Answered requests as labelled ties: ``a, b`` (ordered ``a < b``), ``carried`` (bool)."""
    answered = requests[requests["state"].isin(ANSWERED)]
    a, b = answered["requester"], answered["first_contact"]
    return pd.DataFrame(
        {
            "a": a.where(a < b, b).values,
            "b": b.where(a < b, a).values,
            "carried": answered["state"].isin(CARRIED).values,
        }
    )


def fit_weights(
    scored: pd.DataFrame,
    labels: pd.DataFrame,
    *,
    hand: TieWeights | None = None,
    test_size: float = 0.25,
    seed: int = 0,
    c: float = 1.0,
) -> Calibration:
    """Fit weights to outcomes (see the module docstring) [1]_ [2]_.

    Parameters
    ----------
    scored : pandas.DataFrame
        :func:`score_ties` output: ``a, b``, the component columns.
    labels : pandas.DataFrame
        ``a, b, carried`` (:func:`outcomes`); a tie may appear more than once.
    hand : TieWeights, optional
        The weights to compare with (and whose total the fit is scaled to).

    Raises
    ------
    InputError
        Too few labels, or only one outcome, or no label matches a scored tie.
    """
    w = hand or TieWeights()
    cols = components_of(scored, w)
    data = labels.merge(scored[["a", "b", *cols]], on=["a", "b"], how="inner")
    if len(data) < MIN_LABELS or data["carried"].nunique() < 2:
        raise InputError(
            f"calibration needs at least {MIN_LABELS} answered introduction requests with both outcomes "
            f"on scored ties; found {len(data)} ({int(data['carried'].sum())} carried)"
        )
    x, y = data[cols].to_numpy(float), data["carried"].to_numpy(bool)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=test_size, random_state=seed, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=c))
    model.fit(x_tr, y_tr)
    scaler, logit = model[0], model[1]
    raw = np.clip(logit.coef_[0] / np.where(scaler.scale_ > 0, scaler.scale_, 1.0), 0.0, None)
    hand_w = np.array([getattr(w, col) for col in cols])
    fitted = raw / raw.sum() * hand_w.sum() if raw.sum() > 0 else hand_w
    s_hand, s_fit = x_te @ hand_w, np.clip(x_te @ fitted, 0.0, 1.0)
    return Calibration(
        hand=dict(zip(cols, hand_w.round(4).tolist(), strict=True)),
        fitted=dict(zip(cols, fitted.round(4).tolist(), strict=True)),
        n_train=len(y_tr),
        n_test=len(y_te),
        auc_hand=float(roc_auc_score(y_te, s_hand)),
        auc_fitted=float(roc_auc_score(y_te, s_fit)),
        brier_hand=float(brier_score_loss(y_te, np.clip(s_hand, 0, 1))),
        brier_fitted=float(brier_score_loss(y_te, s_fit)),
        reliability=_reliability(s_hand, s_fit, y_te),
    )


def _reliability(hand: np.ndarray, fitted: np.ndarray, y: np.ndarray, bins: int = 5) -> pd.DataFrame:
    """Held-out ties in quantile bins of the fitted strength: mean strengths and the share that carried."""
    frame = pd.DataFrame({"hand": hand, "fitted": fitted, "carried": y.astype(float)})
    frame["bin"] = pd.qcut(frame["fitted"].rank(method="first"), bins, labels=False)
    g = frame.groupby("bin")
    return pd.DataFrame(
        {"n": g.size(), "hand": g["hand"].mean(), "fitted": g["fitted"].mean(), "carried": g["carried"].mean()}
    ).reset_index()


def save_weights(home: Path, weights: TieWeights) -> Path:
    """Write adopted weights to ``TIEGRAPH_HOME/tie_weights.json``."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / WEIGHTS_FILE
    path.write_text(json.dumps(asdict(weights), indent=2) + "\n", encoding="utf-8")
    return path


def load_weights(home: Path, **overrides: float) -> TieWeights:
    """The adopted weights if ``tie_weights.json`` exists, else the hand-set defaults; ``overrides`` win."""
    path = home / WEIGHTS_FILE
    base = TieWeights()
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from exc
        known = {f.name for f in fields(TieWeights)}
        base = replace(base, **{k: float(v) for k, v in data.items() if k in known})
    return replace(base, **overrides)
