"""Tie strength on real SocioPatterns contact logs (read from ../shared/realdata, never copied)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
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
