"""Deterministic synthetic partnership plans at any scale: a database and an `.xlsx` plan.

Everything is drawn from a seeded `random.Random`, so the same parameters always give the same
data; generated files are cached under `benchmarks/.cache/` keyed by their parameters.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill
from sqlalchemy import insert

from plan.database import make_engine, migrate
from plan.models import (
    Action,
    ActionOwner,
    Objective,
    Plan,
    ProgressUpdate,
    UpdateSource,
    owner_name_values,
)
from rulebook.dates import quarter_label
from rulebook.deadlines import read_deadline
from rulebook.owners import split_owners
from rulebook.rag import DeliveryStatus, Rag

# Bump when the generated data changes shape, so stale cached files are not reused.
GENERATOR_VERSION = 1
CACHE_DIR = Path(__file__).resolve().parent / ".cache"

# Updates fall in the eight quarters Q3 2024/25 .. Q2 2026/27; actions exist before them.
FIRST_QUARTER = dt.date(2024, 10, 1)
QUARTERS = 8
CREATED_FROM = dt.datetime(2024, 4, 1, 9, 0, tzinfo=dt.UTC)

PEOPLE = (
    "Kylie Thornton",
    "Ian Peet",
    "Sarah Ahmed",
    "Tom Okafor",
    "Helen Bradley",
    "Priya Shah",
    "Gareth Lewis",
    "Jo Whitaker",
    "Mark Fenwick",
    "Aisha Begum",
    "Claire Dunmore",
    "Rob McAllister",
    "Nadia Kowalski",
    "Stephen Hale",
    "Lucy Barnes",
    "Owen Price",
    "Fatima Noor",
    "Dave Ridley",
    "Emma Castle",
    "Rachel Moss",
)
AGENCIES = (
    "Probation",
    "Police",
    "Children's Services",
    "Adult Social Care",
    "Public Health",
    "Housing Options",
    "Community Safety Team",
    "Clinical Commissioning Group",
    "Women's Aid",
    "Fire and Rescue",
    "Youth Offending Service",
    "Education Partnership",
)
THEMES = (
    "Prevention",
    "Communication and awareness",
    "Victims and survivors",
    "Perpetrators",
    "Training and workforce",
    "Data and performance",
    "Early help",
    "Housing and refuge",
    "Criminal justice",
    "Children and young people",
    "Health",
    "Partnership governance",
    "Night-time economy",
    "Online harms",
    "Harmful practices",
    "Stalking and harassment",
    "Sexual violence",
    "Commissioning",
    "Workplaces",
    "Community engagement",
)
STRATEGIES = (
    "VAWG Action Plan",
    "Domestic Abuse Strategy",
    "Community Safety Plan",
    "Serious Violence Duty Plan",
    "Reducing Reoffending Plan",
)
VERBS = (
    "Deliver",
    "Review",
    "Commission",
    "Develop",
    "Publish",
    "Embed",
    "Evaluate",
    "Roll out",
    "Map",
    "Agree",
)
OBJECTS = (
    "multi-agency training on coercive control",
    "a referral pathway for young people at risk",
    "the MARAC information-sharing protocol",
    "awareness campaign during the 16 days of action",
    "perpetrator programme capacity",
    "refuge bed spaces for women with complex needs",
    "data dashboard for the partnership board",
    "a survivor engagement panel",
    "specialist IDVA provision in A&E",
    "the schools healthy relationships offer",
    "licensing conditions for late-night venues",
    "workplace domestic abuse policy",
    "the Clare's Law request process",
    "a stalking advocacy service",
    "housing sanctuary scheme criteria",
)
PROGRESS = (
    "On track; next milestone agreed at the last board.",
    "Delayed by recruitment; interim cover in place.",
    "Funding confirmed for the next financial year.",
    "Procurement under way, contract award expected next quarter.",
    "Pilot evaluated; findings going to the steering group.",
    "Awaiting data from partners before the review can finish.",
    "Training delivered to 120 staff this quarter.",
    "Draft shared for consultation with survivors' panel.",
    "Complete: closing report submitted.",
    "Paused pending the outcome of the budget review.",
)
RAG_FILLS = {
    Rag.RED: "FFC00000",
    Rag.AMBER: "FFFFC000",
    Rag.GREEN: "FF00B050",
    Rag.BLUE: "FF0070C0",
}
XLSX_COLUMNS = (
    "Objective",
    "Ref",
    "Action",
    "Owner",
    "Deadline",
    "RAG",
    "Progress",
    "Milestone",
    "Target",
    "Resourcing",
)
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def scaled(actions: int) -> dict[str, int]:
    """The realistic shape of a partnership's data at `actions` actions (20k -> 50 plans)."""
    return {
        "plans": max(1, round(actions / 400)),
        "actions": actions,
        "updates": actions * 10,
    }


# ----------------------------------------------------------------------------- pieces


def lead_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(PEOPLE)
    if roll < 0.65:
        return rng.choice(AGENCIES)
    if roll < 0.8:
        first, second = rng.sample(PEOPLE, 2)
        return f"{first} / {second}"
    if roll < 0.9:
        return f"{rng.choice(PEOPLE)} ({rng.choice(AGENCIES)})"
    if roll < 0.97:
        return f"{rng.choice(AGENCIES)} and {rng.choice(AGENCIES)}"
    return ""


def _financial_year(rng: random.Random, first: int, last: int) -> str:
    start = rng.randint(first, last)
    return f"{start}/{(start + 1) % 100:02d}"


def _quarter(rng: random.Random) -> str:
    year = _financial_year(rng, 2022, 2026)
    return f"Q{rng.randint(1, 4)} {year}"


# How often each way of writing a deadline appears, as (cumulative share, writer).
_DEADLINE_FORMS: tuple[tuple[float, Callable[[random.Random, int, int], str | dt.date]], ...] = (
    (0.25, lambda rng, year, month: f"{_MONTH_NAMES[month - 1]} {year}"),
    (0.4, lambda rng, year, month: f"End of {_MONTH_NAMES[month - 1]} {year}"),
    (0.55, lambda rng, year, month: _quarter(rng)),
    (0.67, lambda rng, year, month: f"{rng.randint(1, 28):02d}/{month:02d}/{year}"),
    (0.75, lambda rng, year, month: f"{_MONTH_NAMES[month - 1][:3]} {year}"),
    (0.82, lambda rng, year, month: rng.choice(("Ongoing", "Continuous", "ongoing"))),
    (0.87, lambda rng, year, month: f"{_MONTH_NAMES[month - 1]} {year} and on going"),
    (0.9, lambda rng, year, month: rng.choice(("TBC", "N/A", ""))),
    (0.93, lambda rng, year, month: _financial_year(rng, 2023, 2026)),
    (0.95, lambda rng, year, month: rng.choice(("Summer", "Spring 2026", "When funding allows"))),
    (1.0, lambda rng, year, month: dt.date(year, month, rng.randint(1, 28))),
)


def deadline_text(rng: random.Random) -> str | dt.date:
    """Deadline as partnerships write it: month names, quarters, 'End of', 'Ongoing'..."""
    year = rng.randint(2023, 2027)
    month = rng.randint(1, 12)
    roll = rng.random()
    writer = next(write for share, write in _DEADLINE_FORMS if roll < share)
    return writer(rng, year, month)


def action_text(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"


def _trajectory(rng: random.Random, count: int) -> list[tuple[Rag | None, DeliveryStatus]]:
    """A believable run of RAG ratings ending complete, cancelled, deferred or in progress."""
    states: list[tuple[Rag | None, DeliveryStatus]] = []
    rag = rng.choice((Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.RED))
    ending = rng.random()
    for index in range(count):
        if index == 0 and rng.random() < 0.2:
            states.append((None, DeliveryStatus.NOT_STARTED))
            continue
        if rng.random() < 0.3:
            rag = rng.choice((Rag.RED, Rag.AMBER, Rag.GREEN))
        states.append((rag, DeliveryStatus.IN_PROGRESS))
    if count:
        if ending < 0.15:
            states[-1] = (Rag.BLUE, DeliveryStatus.COMPLETE)
        elif ending < 0.18:
            states[-1] = (None, DeliveryStatus.CANCELLED)
        elif ending < 0.21:
            states[-1] = (None, DeliveryStatus.DEFERRED)
    return states


def _chunks(rows: Iterator[dict], size: int = 20_000) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _update_counts(rng: random.Random, actions: int, updates: int) -> list[int]:
    """How many updates each action gets: `updates` in total, spread unevenly."""
    if actions == 0:
        return []
    weights = [rng.random() + 0.25 for _ in range(actions)]
    total = sum(weights)
    counts = [int(updates * w / total) for w in weights]
    for index in rng.sample(range(actions), min(actions, updates - sum(counts))):
        counts[index] += 1
    return counts


# ----------------------------------------------------------------------------- database


def generate_database(
    url: str,
    *,
    plans: int = 50,
    actions: int = 20_000,
    updates: int = 200_000,
    objectives_per_plan: int = 6,
    seed: int = 7,
) -> dict[str, int]:
    """Fill an empty database at `url` with bulk inserts; returns the row counts written."""
    rng = random.Random(seed)
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as connection:
            plan_rows = [
                {
                    "id": p + 1,
                    "name": f"{STRATEGIES[p % len(STRATEGIES)]} {2023 + p // len(STRATEGIES)}"
                    f"-{(26 + p // len(STRATEGIES)) % 100:02d} #{p + 1}",
                    "partnership": f"Partnership {p % 7 + 1}",
                    "period_start": dt.date(2024, 4, 1),
                    "period_end": dt.date(2027, 3, 31),
                    "created_at": CREATED_FROM,
                }
                for p in range(plans)
            ]
            connection.execute(insert(Plan), plan_rows)
            objective_rows: list[dict[str, object]] = []
            for p in range(plans):
                for o in range(objectives_per_plan):
                    objective_rows.append(
                        {
                            "id": len(objective_rows) + 1,
                            "plan_id": p + 1,
                            "ref": str(o + 1),
                            "title": THEMES[(p + o) % len(THEMES)],
                            "description": f"Objective {o + 1} of plan {p + 1}",
                            "position": o + 1,
                        }
                    )
            connection.execute(insert(Objective), objective_rows)

            action_rows: list[dict[str, object]] = []
            owner_rows: list[dict[str, object]] = []
            per_plan = [actions // plans + (1 if p < actions % plans else 0) for p in range(plans)]
            position_in: dict[tuple[int, int], int] = {}
            for p, count in enumerate(per_plan):
                for index in range(count):
                    objective = index * objectives_per_plan // max(count, 1)
                    number = position_in.get((p, objective), 0) + 1
                    position_in[(p, objective)] = number
                    written = deadline_text(rng)
                    reading = read_deadline(written)
                    lead = lead_text(rng) or None
                    action_id = len(action_rows) + 1
                    created = CREATED_FROM + dt.timedelta(
                        days=rng.randint(0, 180), minutes=rng.randint(0, 600)
                    )
                    action_rows.append(
                        {
                            "id": action_id,
                            "plan_id": p + 1,
                            "objective_id": p * objectives_per_plan + objective + 1,
                            "ref": f"{objective + 1}.{number}",
                            "text": action_text(rng),
                            "milestone": f"Milestone {rng.randint(1, 4)}",
                            "lead_text": lead,
                            "deadline": reading.date,
                            "deadline_text": reading.text or None,
                            "ongoing": reading.ongoing,
                            "target": f"{rng.randint(10, 95)}% of cases",
                            "resourcing": rng.choice(("Existing", "£25k grant", "Within budget")),
                            "indicator_link": None,
                            "extra": {},
                            "position": index + 1,
                            "created_at": created,
                            "described_from": created.date(),
                        }
                    )
                    for position, name in enumerate(split_owners(lead)):
                        owner_rows.append(
                            {
                                "action_id": action_id,
                                "position": position,
                                **owner_name_values(name),
                            }
                        )
            for batch in _chunks(iter(action_rows)):
                connection.execute(insert(Action), batch)
            for batch in _chunks(iter(owner_rows)):
                connection.execute(insert(ActionOwner), batch)

            counts = _update_counts(rng, actions, updates)
            for batch in _chunks(_update_rows(rng, action_rows, counts)):
                connection.execute(insert(ProgressUpdate), batch)
        return {
            "plans": plans,
            "objectives": len(objective_rows),
            "actions": len(action_rows),
            "owners": len(owner_rows),
            "updates": sum(counts),
        }
    finally:
        engine.dispose()


def _update_rows(rng: random.Random, action_rows: list[dict], counts: list[int]) -> Iterator[dict]:
    span = QUARTERS * 91
    for action, count in zip(action_rows, counts, strict=True):
        if count == 0:
            continue
        # One update a quarter or so, in time order, all after the action was created.
        offsets = sorted(rng.randint(0, span * 24 * 60) for _ in range(count))
        for (rag, status), minutes in zip(_trajectory(rng, count), offsets, strict=True):
            recorded = dt.datetime.combine(FIRST_QUARTER, dt.time(8), tzinfo=dt.UTC) + (
                dt.timedelta(minutes=minutes)
            )
            author = rng.choice(PEOPLE)
            yield {
                "action_id": action["id"],
                "rag": rag,
                "rag_text": None,
                "status": status,
                "progress": rng.choice(PROGRESS),
                "author": author,
                "source": UpdateSource.FORM if rng.random() < 0.7 else UpdateSource.IMPORT,
                "source_detail": None,
                "reporting_period": quarter_label(recorded.date()),
                "recorded_at": recorded,
                "described_on": recorded.date(),
                "percent_complete": rng.choice((None, 10, 25, 50, 75, 90)),
                "revised_deadline": None,
                "revised_deadline_reason": None,
                "evidence_link": None,
                "completed_on": recorded.date() if status == DeliveryStatus.COMPLETE else None,
                "issue": "Recruitment gap" if rag == Rag.RED else None,
                "remedy": "Interim cover agreed" if rag == Rag.RED else None,
                "author_email": f"{author.lower().replace(' ', '.')}@example.org",
            }


# ----------------------------------------------------------------------------- xlsx


def generate_xlsx(
    path: str | os.PathLike, *, actions: int = 20_000, objectives: int = 20, seed: int = 11
) -> Path:
    """A 10-column action plan; RAG typed on even rows, given only as a fill on odd rows."""
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Action plan")
    sheet.append(list(XLSX_COLUMNS))
    fills = {rag: PatternFill("solid", fgColor=rgb) for rag, rgb in RAG_FILLS.items()}
    words = {
        Rag.RED: ("Red", "R", "Off track"),
        Rag.AMBER: ("Amber", "A", "At risk"),
        Rag.GREEN: ("Green", "G", "On track"),
        Rag.BLUE: ("Blue", "Complete", "Done"),
    }
    numbers: dict[int, int] = {}
    for index in range(actions):
        objective = index * objectives // max(actions, 1)
        numbers[objective] = numbers.get(objective, 0) + 1
        rag = rng.choice((Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREEN, Rag.BLUE))
        if index % 2 == 0:
            rag_cell: object = rng.choice(words[rag])
        else:
            rag_cell = WriteOnlyCell(sheet, value=None)
            rag_cell.fill = fills[rag]
        sheet.append(
            [
                f"Objective {objective + 1}: {THEMES[objective % len(THEMES)]}",
                f"{objective + 1}.{numbers[objective]}",
                f"{action_text(rng)} ({index + 1})",
                lead_text(rng) or None,
                deadline_text(rng),
                rag_cell,
                rng.choice(PROGRESS),
                f"Milestone {rng.randint(1, 4)}",
                f"{rng.randint(10, 95)}% of cases",
                rng.choice(("Existing", "£25k grant", "Within budget", None)),
            ]
        )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.xlsx")
    workbook.save(temporary)
    temporary.replace(path)
    return path


# ----------------------------------------------------------------------------- cache


def _schema_revision() -> str:
    from alembic.script import ScriptDirectory

    from plan.database import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or "0"


def cached_database(
    *, plans: int, actions: int, updates: int, objectives_per_plan: int = 6
) -> Path:
    """A generated SQLite file for these parameters, made once and reused."""
    # The schema's revision is in the name: a new migration (an index, say) regenerates.
    name = (
        f"db-v{GENERATOR_VERSION}-s{_schema_revision()}-p{plans}-a{actions}-u{updates}"
        f"-o{objectives_per_plan}.sqlite"
    )
    path = CACHE_DIR / name
    if not path.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"tmp-{os.getpid()}-{name}")
        for leftover in (temporary, *temporary.parent.glob(temporary.name + "-*")):
            leftover.unlink(missing_ok=True)
        generate_database(
            f"sqlite:///{temporary}",
            plans=plans,
            actions=actions,
            updates=updates,
            objectives_per_plan=objectives_per_plan,
        )
        _checkpoint(temporary)
        temporary.replace(path)
    return path


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the file so the cached database is one self-contained file."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def cached_xlsx(*, actions: int, objectives: int = 20) -> Path:
    path = CACHE_DIR / f"plan-v{GENERATOR_VERSION}-a{actions}-o{objectives}.xlsx"
    if not path.exists():
        generate_xlsx(path, actions=actions, objectives=objectives)
    return path
