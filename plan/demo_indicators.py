"""The demo indicators: a small set a VAWG partnership reports each quarter, on the Trafford
2011/14 plan, with targets and eight quarters of invented values (data/demo_indicators.csv and
data/demo_indicator_values.csv).

Every value is dated inside the plan's period (recorded from July 2012 to January 2014, a few
weeks after each quarter ends), so as at the plan's end (31 March 2014) the latest figures
are Q3 2013/14's and Q4 2013/14 has a target still waiting for its figure. Each indicator is
flagged `demo`, every note says "DEMO", and every value goes through the one write path for
values (plan.services.indicator_values.append_values) with the demo's rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from plan.database import DATA_DIR
from plan.demo import DEMO_AUTHOR, DEMO_PLANS
from plan.models import (
    Action,
    Indicator,
    IndicatorAction,
    IndicatorOwner,
    IndicatorTarget,
    Objective,
    Plan,
    UpdateSource,
)
from plan.services.append import Author
from plan.services.indicator_values import ValueInput, ValueRequest, append_values
from rulebook.indicators import Frequency, Polarity, ToleranceKind, ValueStatus
from rulebook.owners import split_owners
from rulebook.periods import Period, read_period

DEMO_INDICATORS = DATA_DIR / "demo_indicators.csv"
DEMO_INDICATOR_VALUES = DATA_DIR / "demo_indicator_values.csv"
# The plan the demo indicators belong to: the one whose period holds all eight quarters.
DEMO_INDICATOR_PLAN = DEMO_PLANS[0].name
RECORDED_AT = dt.time(10)


@dataclass(frozen=True)
class DemoValue:
    ref: str
    period: Period
    target: float | None
    value: float | None
    recorded: dt.date | None  # None: a target only, no figure yet
    note: str


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def demo_values() -> list[DemoValue]:
    """The rows of data/demo_indicator_values.csv, in file order."""
    values = []
    for number, row in enumerate(_rows(DEMO_INDICATOR_VALUES), start=2):
        period = read_period(row["Period"])
        if period is None:
            raise ValueError(f"{DEMO_INDICATOR_VALUES.name}, row {number}: no period")
        recorded = dt.date.fromisoformat(row["Recorded"]) if row["Recorded"] else None
        if recorded is not None and not row["Note"].startswith("DEMO"):
            raise ValueError(f"{DEMO_INDICATOR_VALUES.name}, row {number}: note must say DEMO")
        values.append(
            DemoValue(
                row["Ref"],
                period,
                _number(row["Target"]),
                _number(row["Value"]),
                recorded,
                row["Note"],
            )
        )
    return values


def _indicator(session: Session, plan: Plan, row: dict[str, str], position: int) -> Indicator:
    objective = session.scalar(
        select(Objective).where(Objective.plan_id == plan.id, Objective.ref == row["Objective"])
    )
    kind = row["Tolerance kind"]
    indicator = Indicator(
        plan=plan,
        objective=objective,
        ref=row["Ref"],
        name=row["Indicator"],
        definition=row["Definition"],
        unit=row["Unit"],
        polarity=Polarity(row["Polarity"]),
        frequency=Frequency(row["Frequency"]),
        cumulative=row["Year to date"] == "yes",
        data_source=row["Data source"],
        lead_text=row["Owner"],
        tolerance_kind=ToleranceKind(kind) if kind else None,
        tolerance=_number(row["Tolerance"]),
        demo=True,
        position=position,
        owners=[
            IndicatorOwner(name=name, position=i)
            for i, name in enumerate(split_owners(row["Owner"]))
        ],
    )
    refs = [ref.strip() for ref in row["Actions"].split(";") if ref.strip()]
    actions = session.scalars(
        select(Action.id).where(Action.plan_id == plan.id, Action.ref.in_(refs))
    ).all()
    if len(actions) != len(refs):
        raise LookupError(f"{DEMO_INDICATORS.name}: {row['Ref']} links to missing actions")
    indicator.action_links = [IndicatorAction(action_id=action_id) for action_id in actions]
    return indicator


def record_demo_indicators(session: Session) -> int:
    """Add the demo indicators, their targets and their values; returns the values added."""
    plan = session.scalar(select(Plan).where(Plan.name == DEMO_INDICATOR_PLAN))
    if plan is None:
        raise LookupError(f"the demo indicators' plan '{DEMO_INDICATOR_PLAN}' is not loaded")
    indicators = {}
    for position, row in enumerate(_rows(DEMO_INDICATORS), start=1):
        indicator = _indicator(session, plan, row, position)
        session.add(indicator)
        indicators[indicator.ref] = indicator
    values = demo_values()
    # A target is a setting: each period's once, from its first row.
    for value in values:
        indicator = indicators[value.ref]
        if value.target is not None and value.period.end not in _target_ends(indicator):
            indicator.targets.append(_target(value))
    session.flush()
    by_day: dict[dt.date, list[ValueRequest]] = defaultdict(list)
    for value in values:
        if value.recorded is not None:
            by_day[value.recorded].append(_request(indicators[value.ref].id, value))
    for day in sorted(by_day):
        append_values(
            session,
            Author(DEMO_AUTHOR),
            by_day[day],
            source=UpdateSource.DEMO,
            now=dt.datetime.combine(day, RECORDED_AT, tzinfo=dt.UTC),
        )
    session.flush()
    return sum(len(requests) for requests in by_day.values())


def _target(value: DemoValue) -> IndicatorTarget:
    assert value.target is not None
    return IndicatorTarget(
        period_start=value.period.start, period_end=value.period.end, target=value.target
    )


def _target_ends(indicator: Indicator) -> set[dt.date]:
    return {target.period_end for target in indicator.targets}


def _request(indicator_id: int, value: DemoValue) -> ValueRequest:
    status = ValueStatus.VALUE if value.value is not None else ValueStatus.NOT_YET_AVAILABLE
    return ValueRequest(
        indicator_id,
        ValueInput(value.period, status, value.value, value.note),
        expected_latest_id=None,
        source_detail=DEMO_INDICATOR_VALUES.name,
        label=f"{value.ref} {value.period.label}",
    )
