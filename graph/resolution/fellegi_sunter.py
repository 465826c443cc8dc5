"""The Fellegi-Sunter match weights and their EM estimate.

A candidate pair is described by a comparison vector ``gamma`` (one level per
comparison); under conditional independence its likelihood ratio is
``prod_k m_k(gamma_k) / u_k(gamma_k)`` where ``m`` is the probability of the
level among true matches and ``u`` among non-matches [FS69]_.  The match
weight is its base-2 logarithm.  ``m``, ``u`` and the share of matches
``lambda`` are estimated from the unlabelled candidate pairs of the run by the
EM algorithm for the two-class latent model [W88]_ (the Splink approach
[Splink]_: a missing value is a null level with weight 0 and does not enter
the likelihood).

References
----------
.. [FS69] Fellegi, I. P. and Sunter, A. B. A theory for record linkage.
   JASA 64(328):1183-1210, 1969. https://doi.org/10.1080/01621459.1969.10501049
.. [W88] Winkler, W. E. Using the EM algorithm for weight computation in the
   Fellegi-Sunter model of record linkage. Proc. Section on Survey Research
   Methods, American Statistical Association, 667-671, 1988.
.. [Splink] Linacre, R. et al. Splink: free software for probabilistic record
   linkage at scale. International Journal of Population Data Science 7(3), 2022;
   "The Fellegi-Sunter model" and "Expectation Maximisation" in the Splink docs,
   https://moj-analytical-services.github.io/splink/topic_guides/theory/fellegi_sunter.html
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["COMPARISONS", "NULL", "MatchModel"]

NULL = -1
"""The level of a comparison whose value is missing on either side: weight 0."""

COMPARISONS: dict[str, tuple[str, ...]] = {
    "forename": ("exact", "variant", "initials"),
    "middle": ("agree", "one_only"),
    "institution": ("same", "different"),
    "email_domain": ("same", "different"),
    "context": ("specific", "common", "none_shared"),
}
"""Comparisons and their non-null levels.  Surname agrees in full by blocking
(it is the block key); ORCID and the other keys are deterministic, before any
of this.  Context is the co-authors or co-contacts two mentions have in common:
a specific one (written in few mentions of the run, or two of them), only a
common one, or none."""

_DEFAULT_M = {
    "forename": (0.80, 0.10, 0.10),
    "middle": (0.5, 0.5),
    "institution": (0.6, 0.4),
    "email_domain": (0.8, 0.2),
    "context": (0.3, 0.1, 0.6),
}
_DEFAULT_U = {
    "forename": (0.30, 0.15, 0.55),
    "middle": (0.15, 0.85),
    "institution": (0.08, 0.92),
    "email_domain": (0.05, 0.95),
    "context": (0.005, 0.03, 0.965),
}
_FLOOR = 1e-4


@dataclass
class MatchModel:
    """m and u probabilities per comparison level; starting values are the EM's starting point."""

    m: dict[str, np.ndarray] = field(default_factory=lambda: {k: np.array(v) for k, v in _DEFAULT_M.items()})
    u: dict[str, np.ndarray] = field(default_factory=lambda: {k: np.array(v) for k, v in _DEFAULT_U.items()})
    share: float = 0.5
    trained_on: int = 0
    iterations: int = 0

    def weights(self) -> dict[str, np.ndarray]:
        """log2(m/u) per comparison level."""
        return {k: np.log2(self.m[k] / self.u[k]) for k in COMPARISONS}

    def weight(self, gamma: tuple[int, ...]) -> float:
        """The match weight (log2 Bayes factor) of one comparison vector (memoised per vector)."""
        memo: dict[tuple[int, ...], float] = self.__dict__.setdefault("_memo", {})
        w = memo.get(gamma)
        if w is None:
            table = self.weights()
            w = memo[gamma] = float(sum(table[k][g] for k, g in zip(COMPARISONS, gamma, strict=True) if g != NULL))
        return w

    def fit(
        self,
        patterns: np.ndarray,
        *,
        fixed_u: dict[str, np.ndarray] | None = None,
        max_iter: int = 50,
        tol: float = 1e-5,
        min_pairs: int = 200,
    ) -> MatchModel:
        """Estimate m, u and the match share by EM on comparison vectors (one row per candidate pair).

        ``fixed_u`` holds u probabilities estimated otherwise (from value
        frequencies, as Splink estimates u by random sampling) that EM leaves
        alone.  With fewer than ``min_pairs`` pairs the starting values are kept: EM on a
        handful of pairs estimates noise.  The class whose forename agrees exactly
        more often is the match class (EM's two classes are otherwise unnamed).
        A comparison whose most agreeing level (exact forename, same institution,
        a specific co-author) does not come out weighing most keeps its starting values: the data could not
        identify it (e.g. every candidate pair agrees on the forename, or nearly
        every candidate pair is a match, so EM's second class fits noise; the
        convergence caveat of [W88]_).
        """
        if len(patterns) < min_pairs:
            return self
        code = np.zeros(len(patterns), dtype=np.int64)  # each vector as one integer: unique on 1-d is fast
        for j in range(patterns.shape[1]):
            code = code * 4 + (patterns[:, j] + 1)
        codes, first, counts = np.unique(code, return_index=True, return_counts=True)
        uniq = patterns[first]
        counts = counts.astype(float)
        fixed = fixed_u or {}
        m = {k: v.copy() for k, v in self.m.items()}
        u = {k: np.asarray(fixed[k], dtype=float) if k in fixed else v.copy() for k, v in self.u.items()}
        share = self.share
        last = -np.inf
        done = 0
        for _ in range(max_iter):
            done += 1
            lm = np.full(len(uniq), np.log(share))
            lu = np.full(len(uniq), np.log1p(-share))
            for j, k in enumerate(COMPARISONS):
                g = uniq[:, j]
                ok = g != NULL
                lm[ok] += np.log(m[k][g[ok]])
                lu[ok] += np.log(u[k][g[ok]])
            top = np.maximum(lm, lu)
            ll = float(np.sum(counts * (top + np.log(np.exp(lm - top) + np.exp(lu - top)))))
            post = 1.0 / (1.0 + np.exp(lu - lm))
            wm, wu = counts * post, counts * (1.0 - post)
            share = float(np.clip(wm.sum() / counts.sum(), _FLOOR, 1 - _FLOOR))
            for j, k in enumerate(COMPARISONS):
                g = uniq[:, j]
                n = len(COMPARISONS[k])
                cm = np.bincount(g[g != NULL], weights=wm[g != NULL], minlength=n)
                cu = np.bincount(g[g != NULL], weights=wu[g != NULL], minlength=n)
                if cm.sum() > 0:
                    m[k] = np.clip(cm / cm.sum(), _FLOOR, None)
                    m[k] /= m[k].sum()
                if cu.sum() > 0 and k not in fixed:
                    u[k] = np.clip(cu / cu.sum(), _FLOOR, None)
                    u[k] /= u[k].sum()
            if abs(ll - last) < tol * max(1.0, abs(ll)):
                break
            last = ll
        if m["forename"][0] < u["forename"][0]:  # the classes came out the other way round
            m, u, share = u, m, 1.0 - share
        for k in COMPARISONS:  # identifiability: the first level (most agreement) must weigh most
            w = np.log2(m[k] / u[k])
            if not np.all(w[0] > w[1:]):
                m[k], u[k] = self.m[k].copy(), self.u[k].copy()
        return MatchModel(m, u, share, int(counts.sum()), done)

    def summary(self) -> dict[str, object]:
        """The fitted weights, for logs and reports."""
        w = self.weights()
        return {
            "pairs": self.trained_on,
            "iterations": self.iterations,
            "match_share": round(self.share, 4),
            "weights": {k: dict(zip(COMPARISONS[k], np.round(w[k], 2).tolist(), strict=True)) for k in COMPARISONS},
        }
