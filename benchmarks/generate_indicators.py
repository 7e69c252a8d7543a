"""Deterministic synthetic indicators at any scale: plans, objectives and indicators with a
target and a value for each of `periods` quarters (some corrected later), in a SQLite file.

Like benchmarks.generate: seeded, bulk inserted, cached under benchmarks/.cache/ by its
parameters and the schema's revision.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

from sqlalchemy import insert

from benchmarks.generate import (
    CACHE_DIR,
    CREATED_FROM,
    PEOPLE,
    THEMES,
    _checkpoint,
    _chunks,
    _schema_revision,
)
from plan.database import make_engine, migrate
from plan.models import (
    Indicator,
    IndicatorOwner,
    IndicatorTarget,
    IndicatorValue,
    Objective,
    Plan,
    UpdateSource,
    owner_name_values,
)
from rulebook.indicators import Frequency, Polarity, ValueStatus
from rulebook.periods import Period, read_period, shifted

GENERATOR_VERSION = 1
# The newest quarter with values; earlier ones count back from it. Every value is recorded
# 20 days after its quarter ends, so all are known by mid-October 2026.
LAST_QUARTER = read_period("Q2 2026/27")
INDICATORS_PER_PLAN = 100
OBJECTIVES_PER_PLAN = 6
NAMES = (
    "Police-recorded domestic abuse incidents",
    "Repeat referrals to MARAC (%)",
    "High-risk victims supported by IDVAs",
    "Sanction detection rate for domestic abuse crimes (%)",
    "Referrals to perpetrator programmes",
    "IDVA clients feeling safer at case closure (%)",
    "Domestic abuse-related homelessness acceptances",
    "Refuge bed nights",
    "Professionals trained in DASH risk assessment",
    "Clare's Law disclosures",
)


def _quarters(count: int) -> list[Period]:
    assert LAST_QUARTER is not None
    return [shifted(LAST_QUARTER, -n) for n in range(count - 1, -1, -1)]


def _recorded(period: Period, days: int = 20) -> dt.datetime:
    return dt.datetime.combine(period.end + dt.timedelta(days=days), dt.time(9), tzinfo=dt.UTC)


def _plan_rows(plans: int) -> tuple[list[dict], list[dict]]:
    plan_rows = [
        {
            "id": p + 1,
            "name": f"Partnership indicators #{p + 1}",
            "partnership": f"Partnership {p % 7 + 1}",
            "period_start": dt.date(2016, 4, 1),
            "period_end": dt.date(2027, 3, 31),
            "created_at": CREATED_FROM,
        }
        for p in range(plans)
    ]
    objective_rows = [
        {
            "id": p * OBJECTIVES_PER_PLAN + o + 1,
            "plan_id": p + 1,
            "ref": str(o + 1),
            "title": THEMES[(p + o) % len(THEMES)],
            "description": None,
            "position": o + 1,
        }
        for p in range(plans)
        for o in range(OBJECTIVES_PER_PLAN)
    ]
    return plan_rows, objective_rows


def _indicator_row(rng: random.Random, number: int, plans: int) -> dict:
    plan = number % plans
    roll = rng.random()
    polarity = (
        Polarity.CONTEXTUAL
        if roll < 0.1
        else Polarity.LOWER_IS_BETTER
        if roll < 0.4
        else Polarity.HIGHER_IS_BETTER
    )
    return {
        "id": number + 1,
        "plan_id": plan + 1,
        "objective_id": plan * OBJECTIVES_PER_PLAN + rng.randrange(OBJECTIVES_PER_PLAN) + 1,
        "ref": f"PI{number + 1:04d}",
        "name": f"{NAMES[number % len(NAMES)]} ({number + 1})",
        "unit": rng.choice(("count", "%", "rate per 1,000")),
        "polarity": polarity,
        "frequency": Frequency.QUARTERLY,
        "cumulative": rng.random() < 0.15,
        "lead_text": rng.choice(PEOPLE),
        "demo": False,
        "position": number // plans + 1,
        "created_at": CREATED_FROM,
    }


def _figures(
    rng: random.Random, indicator: dict, quarters: list[Period]
) -> tuple[list[dict], list[dict]]:
    """A target (none for a contextual indicator) and a value for every quarter; about one
    value in twenty corrected a month later."""
    targets, values = [], []
    level = rng.uniform(20, 500)
    for period in quarters:
        level *= rng.uniform(0.93, 1.08)
        if indicator["polarity"] is not Polarity.CONTEXTUAL:
            targets.append(
                {
                    "indicator_id": indicator["id"],
                    "period_start": period.start,
                    "period_end": period.end,
                    "target": round(level * rng.uniform(0.95, 1.05), 1),
                }
            )
        entry = {
            "indicator_id": indicator["id"],
            "period_start": period.start,
            "period_end": period.end,
            "status": ValueStatus.VALUE,
            "value": round(level, 1),
            "note": None,
            "author": indicator["lead_text"],
            "source": UpdateSource.FORM,
            "recorded_at": _recorded(period),
        }
        values.append(entry)
        if rng.random() < 0.05:
            values.append(
                {
                    **entry,
                    "value": round(level * 1.02, 1),
                    "note": "Corrected",
                    "recorded_at": _recorded(period, 50),
                }
            )
    return targets, values


def generate_indicator_database(
    url: str, *, indicators: int = 1000, periods: int = 40, seed: int = 17
) -> dict[str, int]:
    """Fill an empty database at `url`; returns the row counts written."""
    rng = random.Random(seed)
    plans = max(1, round(indicators / INDICATORS_PER_PLAN))
    quarters = _quarters(periods)
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as connection:
            plan_rows, objective_rows = _plan_rows(plans)
            connection.execute(insert(Plan), plan_rows)
            connection.execute(insert(Objective), objective_rows)
            indicator_rows = [_indicator_row(rng, n, plans) for n in range(indicators)]
            connection.execute(insert(Indicator), indicator_rows)
            connection.execute(
                insert(IndicatorOwner),
                [
                    {
                        "indicator_id": row["id"],
                        "position": 0,
                        **owner_name_values(row["lead_text"]),
                    }
                    for row in indicator_rows
                ],
            )
            counts = {"plans": plans, "indicators": indicators, "targets": 0, "values": 0}
            for row in indicator_rows:
                targets, values = _figures(rng, row, quarters)
                counts["targets"] += len(targets)
                counts["values"] += len(values)
                if targets:
                    connection.execute(insert(IndicatorTarget), targets)
                for batch in _chunks(iter(values)):
                    connection.execute(insert(IndicatorValue), batch)
        return counts
    finally:
        engine.dispose()


def cached_indicator_database(*, indicators: int, periods: int = 40) -> Path:
    """A generated SQLite file of `indicators` x `periods` quarters, made once and reused."""
    name = f"indicators-v{GENERATOR_VERSION}-s{_schema_revision()}-i{indicators}-q{periods}.sqlite"
    path = CACHE_DIR / name
    if not path.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"tmp-{os.getpid()}-{name}")
        temporary.unlink(missing_ok=True)
        generate_indicator_database(
            f"sqlite:///{temporary}", indicators=indicators, periods=periods
        )
        _checkpoint(temporary)
        temporary.replace(path)
    return path
