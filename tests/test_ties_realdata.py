"""Tie strength on real SocioPatterns contact logs (read from ../shared/realdata, never copied)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from graph.analytics.ties import as_of_dates, score_ties

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "contacts"
if not REAL.exists():
    REAL = Path("/work/shared/realdata/contacts")
START = date(2010, 12, 6)  # LH10: 6-10 Dec 2010 (Vanhems et al. 2013)
NONE = pd.DataFrame(columns=["person", "publication", "position", "n_authors"])
NO_MENTORS = pd.DataFrame(columns=["mentor", "mentee", "type"])


def events(path: Path, start: date) -> pd.DataFrame:
    """Consecutive 20-s windows of one pair merged into one contact with its minutes."""
    t = pd.read_csv(path, sep=r"\s+", header=None, names=["t", "i", "j"]).sort_values(["i", "j", "t"])
    new = (t["i"] != t["i"].shift()) | (t["j"] != t["j"].shift()) | (t["t"] - t["t"].shift() > 20)
    t["event"] = new.cumsum()
    g = t.groupby("event").agg(a=("i", "first"), b=("j", "first"), t=("t", "first"), n=("t", "size"))
    day = [(start + timedelta(days=int(s // 86400))).isoformat() for s in g["t"]]
    return pd.DataFrame(
        {
            "a": g["a"].astype(str),
            "b": g["b"].astype(str),
            "date": day,
            "scheduled": False,
            "initiated_by": None,
            "note": "",
            "context": "wards",
            "venue": "",
            "duration_min": g["n"] * 20 / 60,
            "source": "contacts",
        }
    )


def test_hospital_strength_ranks_pairs_by_time_together() -> None:
    ev = events(REAL / "hospital" / "tij_hospital.dat", START)
    assert len(ev) == 14037  # the published event count
    s = score_ties(ev, NONE, NO_MENTORS, as_of={"contacts": date(2010, 12, 10)})
    a, b = ev["a"].where(ev["a"] < ev["b"], ev["b"]), ev["b"].where(ev["a"] < ev["b"], ev["a"])
    total = ev.assign(a=a, b=b).groupby(["a", "b"])["duration_min"].sum()
    s = s.set_index(["a", "b"])
    rho = spearmanr(s["strength"], total.loc[s.index]).statistic
    assert rho >= 0.95
    assert s["strength"].round(6).nunique() >= len(s) / 10
    # re-dating the log by ten years changes no strength
    later = ev.assign(date=[(date.fromisoformat(d) + timedelta(days=3652)).isoformat() for d in ev["date"]])
    s2 = score_ties(later, NONE, NO_MENTORS, as_of=as_of_dates(later)).set_index(["a", "b"])
    assert (s2["strength"] - s["strength"]).abs().max() < 1e-9


def _groups(name: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """A real log's contacts and each person's group in its metadata (LH10: status; InVS13: department)."""
    if name == "hospital":
        ev = events(REAL / "hospital" / "tij_hospital.dat", START)
        md = pd.read_csv(REAL / "hospital" / "metadata_hospital.dat", sep=r"\s+", header=None, dtype=str)
        return ev, dict(zip(md[1], md[2], strict=True))  # rowindex ID status
    ev = events(REAL / "InVS13" / "tij_InVS13.dat", date(2013, 6, 24))  # any start: ages count from the log's end
    md = pd.read_csv(REAL / "InVS13" / "metadata_InVS13.dat", sep=r"\s+", header=None, dtype=str)
    return ev, dict(zip(md[0], md[1], strict=True))  # ID department


@pytest.mark.parametrize("name", ["hospital", "InVS13"])
def test_communities_on_strength_recover_the_groups_as_well_as_raw_contact_time(name: str) -> None:
    """Louvain on tiegraph's strengths finds the metadata's groups (NMI, Danon et al. 2005) at least as well as
    networkx's Louvain on each pair's raw minutes together, less 0.03 (mean of 10 seeds; Louvain is randomised)."""
    import networkx as nx
    from sklearn.metrics import normalized_mutual_info_score as nmi

    from graph.analytics.centrality import communities

    ev, group = _groups(name)
    a, b = ev["a"].where(ev["a"] < ev["b"], ev["b"]), ev["b"].where(ev["a"] < ev["b"], ev["a"])
    minutes = ev.assign(a=a, b=b).groupby(["a", "b"])["duration_min"].sum().reset_index()
    raw = nx.Graph()
    raw.add_weighted_edges_from(minutes.itertuples(index=False))
    people = sorted(raw)
    truth = [group[p] for p in people]
    strength = score_ties(ev, NONE, NO_MENTORS, as_of=as_of_dates(ev))
    on_raw, on_strength = [], []
    for seed in range(10):
        parts = nx.community.louvain_communities(raw, weight="weight", seed=seed)
        label = {p: k for k, part in enumerate(parts) for p in part}
        on_raw.append(nmi(truth, [label[p] for p in people]))
        ours, _ = communities(strength, people, seed=seed)
        on_strength.append(nmi(truth, [ours[p] for p in people]))
    assert np.mean(on_strength) >= np.mean(on_raw) - 0.03, (np.mean(on_strength), np.mean(on_raw))
    assert np.mean(on_strength) > 0.2  # far from a random partition (NMI about 0)


def test_workplace_strength_ranks_pairs_by_time_together() -> None:
    ev, _ = _groups("InVS13")
    assert len(ev) == 4592  # the event count in realdata's README
    s = score_ties(ev, NONE, NO_MENTORS, as_of=as_of_dates(ev)).set_index(["a", "b"])
    a, b = ev["a"].where(ev["a"] < ev["b"], ev["b"]), ev["b"].where(ev["a"] < ev["b"], ev["a"])
    total = ev.assign(a=a, b=b).groupby(["a", "b"])["duration_min"].sum()
    assert spearmanr(s["strength"], total.loc[s.index]).statistic >= 0.9
    assert s["strength"].round(6).nunique() >= len(s) / 10
