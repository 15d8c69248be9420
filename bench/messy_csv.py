"""Write a messy CSV, the kind users bring, for a long end-to-end check of `automl search`.

    python bench/messy_csv.py                          # writes bench/data/messy.csv
    automl search bench/data/messy.csv --time-budget 10m --out reports/messy

3,000 customers: numbers with gaps, a number column with '?' and 'n/a' in it, a
category with inconsistent spelling and gaps, a city column with 1,500 distinct values,
a customer ID, a sign-up date, a constant column, an all-empty column, and a yes/no
target that depends on several of them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 3000
OUT = Path(__file__).resolve().parent / "data" / "messy.csv"


def messy_frame(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 90, ROWS).astype(float)
    income = np.round(rng.lognormal(10.5, 0.6, ROWS), 2)
    visits = rng.poisson(4, ROWS).astype(object)
    plan = rng.choice(["basic", "Basic", "premium", "PREMIUM ", "family", None], ROWS)
    city = np.array([f"city_{i}" for i in rng.integers(0, 1500, ROWS)])
    signup = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, ROWS), "D")
    logit = 0.04 * (age - 50) - 0.5 * (np.log(income) - 10.5) + 0.8 * np.isin(plan, ["basic"])
    churn = np.where(rng.random(ROWS) < 1 / (1 + np.exp(-logit)), "yes", "no")
    age[rng.random(ROWS) < 0.08] = np.nan
    income[rng.random(ROWS) < 0.05] = np.nan
    visits[rng.random(ROWS) < 0.03] = "?"
    visits[rng.random(ROWS) < 0.02] = "n/a"
    return pd.DataFrame(
        {
            "customer_id": [f"C{100000 + i}" for i in range(ROWS)],
            "age": age,
            "income": income,
            "visits": visits,
            "plan": plan,
            "city": city,
            "signup_date": signup.strftime("%Y-%m-%d"),
            "country": "NL",
            "notes": np.nan,
            "churn": churn,
        }
    )


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    messy_frame().to_csv(OUT, index=False)
    print(f"wrote {OUT} ({ROWS} rows)")
