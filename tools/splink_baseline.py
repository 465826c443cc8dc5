"""Splink's DuckDB linker on the resolver's three labelled sets, side by side with ``Resolver.resolve_all``.

Splink [Splink]_ is the well-kept Fellegi-Sunter library issue 11 names.  This puts it on the same
input as the resolver, with comparable comparisons, so the choice between them is measured:

- the same preprocessing (``graph.resolution.names``: any script transliterated, the surname block
  key with the name's digits, the folded forename, initials, co-author tokens "surname|initial");
- blocking on surname key and first initial (the resolver's blocks), plus e-mail;
- comparisons: e-mail (exact), forename (exact with term-frequency adjustment, Jaro-Winkler >= 0.92),
  initials (exact), institution (exact), e-mail domain (exact), co-authors/co-contacts (array
  intersection of at least 2, at least 1);
- u by random sampling, the prior from deterministic rules (e-mail; surname + forename +
  institution; surname + forename + initials), m by EM (sessions of ``EM_RULES``; one whose prior degenerates is reported and
  skipped); clustering by connected components at
  match probabilities 0.5, 0.9 and 0.99.

Run with an environment that has ``splink==5.0.0`` (and its ``duckdb``); they are not runtime
dependencies of tiegraph (``pip install '.[baseline]'``)::

    python -m tools.splink_baseline            # all three sets and the 15k-row name-only log
    python -m tools.splink_baseline --json out.json

Times are wall-clock seconds of the whole run (Splink: registering, training, predicting,
clustering; the resolver: ``resolve_all``), on a shared machine: compare them side by side only.

.. [Splink] Linacre, R. et al. Splink: free software for probabilistic record linkage at scale.
   IJPDS 7(3), 2022. https://moj-analytical-services.github.io/splink/
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

import pandas as pd

from graph.resolution.names import forename_key, name_digits, parse_name, surname_key
from graph.resolution.resolver import Mention, Resolver
from tools.labelled_sets import pubmed, sample_labels, stress
from tools.stress_names import pairwise

__all__ = ["frame", "main", "resolver_run", "splink_run"]

THRESHOLDS = (0.5, 0.9, 0.99)
EM_RULES = (("surname", "first_initial"), ("surname", "forename"))
"""EM sessions, in order: the resolver's blocks, then same full name (frees institution, domain, co-authors)."""


def _block(name: str) -> tuple[str, str, str]:
    """(surname key with digits, folded forename or "", initials) as the resolver blocks and compares them."""
    digits = name_digits(name)
    p = parse_name(name)
    last, first, initials = p.last, p.first, p.initials
    if digits and not first and not initials and last:  # "Nurse 0412": the word is the forename
        first, initials = last, last[:1]
    key = surname_key(last) or "".join(c for c in name.lower() if c.isalnum()) or "?"
    return (f"{key}|{digits}" if digits else key), forename_key(first), initials


def frame(mentions: Sequence[Mention]) -> pd.DataFrame:
    """One row per mention, the columns Splink compares."""
    rows = []
    for n, m in enumerate(mentions):
        surname, forename, initials = _block(m.name)
        email = m.email.strip().lower() if m.email else None
        tokens = sorted({f"{_block(c)[0]}|{_block(c)[2][:1]}" for c in m.context if c and c.strip()})
        rows.append(
            {
                "unique_id": n,
                "surname": surname,
                "forename": forename or None,
                "initials": initials or None,
                "first_initial": initials[:1] or None,
                "institution": m.institution_id or None,
                "email": email,
                "email_domain": email.rsplit("@", 1)[1] if email and "@" in email else None,
                "coauthors": tokens or None,
            }
        )
    return pd.DataFrame(rows)


def splink_run(mentions: Sequence[Mention], *, seed: int = 1) -> tuple[dict[float, list[int]], float, int, list[str]]:
    """Splink's clusters at each of ``THRESHOLDS``; ``(clusters, seconds, scored pairs, EM sessions that failed)``."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    t0 = time.perf_counter()
    failed: list[str] = []
    df = frame(mentions)
    db = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.ExactMatch("email"),
            cl.JaroWinklerAtThresholds("forename", [0.92]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("initials"),
            cl.ExactMatch("institution"),
            cl.ExactMatch("email_domain"),
            cl.ArrayIntersectAtSizes("coauthors", [2, 1]),
        ],
        blocking_rules_to_generate_predictions=[block_on("surname", "first_initial"), block_on("email")],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(db.register(df), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("email"),
            block_on("surname", "forename", "institution"),
            block_on("surname", "forename", "initials"),
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for rule in EM_RULES:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), fix_probability_two_random_records_match=True
            )
        except ValueError as exc:  # EM's prior for the blocked pairs reached 0 or 1 (math domain error)
            failed.append(f"EM blocked on {'+'.join(rule)}: {exc}")
    predictions = linker.inference.predict(threshold_match_probability=min(THRESHOLDS))
    pairs = len(predictions.as_pandas_dataframe())
    out: dict[float, list[int]] = {}
    for threshold in THRESHOLDS:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        ).as_pandas_dataframe()
        of = dict(zip(clusters["unique_id"].astype(int), clusters["cluster_id"].astype(str), strict=True))
        out[threshold] = [hash(of.get(n, f"single-{n}")) for n in range(len(mentions))]
    return out, time.perf_counter() - t0, pairs, failed


def resolver_run(mentions: Sequence[Mention]) -> tuple[list[str], float, int]:
    """``Resolver.resolve_all`` on the same mentions; ``(ids, seconds, review items)``."""
    t0 = time.perf_counter()
    r = Resolver([])
    ids = r.resolve_all(list(mentions))
    return ids, time.perf_counter() - t0, len(r.review)


def _score(ids: Sequence[object], truth: Sequence[object]) -> dict[str, float]:
    scored = [(i, t) for i, t in zip(ids, truth, strict=True) if t is not None]
    p, r = pairwise([i for i, _ in scored], [t for _, t in scored])
    return {"precision": round(p, 4), "recall": round(r, 4)}


def compare(name: str, mentions: Sequence[Mention], truth: Sequence[object] | None) -> dict[str, Any]:
    """Both linkers on one set: P/R (when there is truth), time, and cluster counts."""
    ids, seconds, review = resolver_run(mentions)
    row: dict[str, Any] = {"set": name, "mentions": len(mentions)}
    row["resolver"] = {"seconds": round(seconds, 2), "people": len(set(ids)), "review": review}
    clusters, s_seconds, pairs, failed = splink_run(mentions)
    row["splink"] = {"seconds": round(s_seconds, 2), "scored_pairs": pairs, "em_failed": failed}
    if truth is not None:
        row["resolver"].update(_score(ids, truth))
        for threshold, cl in clusters.items():
            row["splink"][f"p>={threshold}"] = {**_score(cl, truth), "people": len(set(cl))}
    else:
        for threshold, cl in clusters.items():
            row["splink"][f"p>={threshold}"] = {"people": len(set(cl))}
    return row


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Run every set; print one JSON line per set (and write them all with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--sets", default="sample,pubmed,stress,log15k")
    args = parser.parse_args(argv)
    from tools.bench import contact_log_mentions

    wanted = args.sets.split(",")
    results = []

    def run(name: str, mentions: Sequence[Mention], truth: Sequence[object] | None) -> None:
        results.append(compare(name, mentions, truth))
        print(json.dumps(results[-1]), flush=True)

    if "sample" in wanted:
        run("sample labels", *sample_labels())
    if "pubmed" in wanted:
        m, t, _ = pubmed()
        run("pubmed (ORCID truth)", m, t)
    if "stress" in wanted:
        run("stress (seed 11)", *stress())
    if "log15k" in wanted:
        run("15k-row name-only contact log", contact_log_mentions(15_000, emails=False), None)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1)
    return results


if __name__ == "__main__":
    main()
