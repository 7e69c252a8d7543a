"""Imports "as at" a date, period columns as history, out-of-order and repeated imports (issue
15, sections 3 and 4). Each test builds its file and asserts every history entry with both of
its dates: the day it describes and when it was recorded."""

import datetime as dt

import pytest
from sqlalchemy import select

from plan.importing import AsAtError, import_file
from plan.models import Action, ProgressUpdate
from plan.queries import Selection, action_views, movement, rag_counts
from plan.queries.rollups import MovementCounts
from rulebook.rag import DeliveryStatus, Rag
from tests.builders import add_update, csv_bytes, xlsx_bytes

NOW = dt.datetime(2017, 11, 2, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2017, 11, 3, 9, 0, tzinfo=dt.UTC)
Q1_END, Q2_END = dt.date(2017, 6, 30), dt.date(2017, 9, 30)
HEADER = ["Ref", "Action", "Lead", "RAG", "Update"]
Q1_FILE = [
    HEADER,
    ["1.1", "Train staff", "Police", "Red", "Not started"],
    ["1.2", "Open refuge", "Council", "Green", "On track"],
]
Q2_FILE = [
    HEADER,
    ["1.1", "Train staff", "Police", "Amber", "Trainer found"],
    ["1.2", "Open refuge", "Council", "Green", "On track"],
]


def _history(session, plan_name="DA"):
    """Every entry: (ref, RAG, progress, period, day described, day recorded), in history order."""
    rows = session.execute(
        select(Action.ref, ProgressUpdate)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .order_by(
            Action.ref,
            ProgressUpdate.described_on,
            ProgressUpdate.recorded_at,
            ProgressUpdate.id,
        )
    )
    return [
        (
            ref,
            u.rag,
            u.progress,
            u.reporting_period,
            u.described_on,
            u.recorded_at.date(),
        )
        for ref, u in rows
    ]


def _load(factory, rows, as_at, *, now=NOW, name="da.csv", plan="DA"):
    return import_file(
        factory, csv_bytes(rows), name, plan_name=plan, author="Officer", now=now, as_at=as_at
    )


def test_an_import_as_at_a_day_dates_its_entries_to_that_day(factory):
    report = _load(factory, Q1_FILE, Q1_END)
    assert report.updates_recorded == 2
    assert "Progress updates recorded: 2 (as at 30 Jun 2017)" in report.lines()
    with factory() as session:
        assert _history(session) == [
            ("1.1", Rag.RED, "Not started", "Q1 2017/18", Q1_END, NOW.date()),
            ("1.2", Rag.GREEN, "On track", "Q1 2017/18", Q1_END, NOW.date()),
        ]
        # The actions are listed as at the day the file describes, though created later.
        views = action_views(session, as_at=Q1_END, selection=Selection())
        assert [(v.ref, v.rag) for v in views] == [("1.1", Rag.RED), ("1.2", Rag.GREEN)]
        assert action_views(session, as_at=Q1_END - dt.timedelta(days=1)) == []


def test_files_imported_out_of_order_keep_history_in_order_and_repeats_add_nothing(factory):
    _load(factory, Q2_FILE, Q2_END)
    late = _load(factory, Q1_FILE, Q1_END, now=LATER)
    assert (late.updates_recorded, late.conflicts) == (2, [])
    expected = [
        ("1.1", Rag.RED, "Not started", "Q1 2017/18", Q1_END, LATER.date()),
        ("1.1", Rag.AMBER, "Trainer found", "Q2 2017/18", Q2_END, NOW.date()),
        ("1.2", Rag.GREEN, "On track", "Q1 2017/18", Q1_END, LATER.date()),
        ("1.2", Rag.GREEN, "On track", "Q2 2017/18", Q2_END, NOW.date()),
    ]
    with factory() as session:
        assert _history(session) == expected
    for rows, as_at in ((Q1_FILE, Q1_END), (Q2_FILE, Q2_END), (Q1_FILE, Q1_END)):
        again = _load(factory, rows, as_at, now=LATER)
        assert (again.updates_recorded, again.conflicts) == (0, [])
    with factory() as session:
        assert _history(session) == expected
        selection = Selection(plan_id=session.scalar(select(Action.plan_id).limit(1)))
        assert [v.rag for v in action_views(session, as_at=Q1_END, selection=selection)] == [
            Rag.RED,
            Rag.GREEN,
        ]
        # Current: the Q2 file's ratings, though the Q1 file was loaded last.
        assert [v.rag for v in action_views(session, as_at=LATER.date(), selection=selection)] == [
            Rag.AMBER,
            Rag.GREEN,
        ]
        assert movement(
            session, selection=selection, as_at=Q2_END, compared_with=Q1_END
        ) == MovementCounts(improved=1, unchanged=1)


def test_an_older_file_is_history_not_a_conflict_with_a_newer_form_update(factory):
    _load(factory, Q2_FILE, Q2_END)
    with factory() as session:
        action = session.scalar(select(Action).where(Action.ref == "1.1"))
        add_update(session, action, Rag.GREEN, at=LATER, progress="Trained 40 staff")
        session.commit()
    older = _load(factory, Q1_FILE, Q1_END, now=LATER + dt.timedelta(hours=1))
    assert (older.updates_recorded, older.conflicts) == (2, [])
    with factory() as session:
        current = action_views(session, as_at=LATER.date(), selection=Selection())
        assert [(v.ref, v.rag, v.latest_update) for v in current] == [
            ("1.1", Rag.GREEN, "Trained 40 staff"),
            ("1.2", Rag.GREEN, "On track"),
        ]
    # The current file, changed since the form update it never saw, is still a conflict.
    changed = [HEADER, ["1.1", "Train staff", "Police", "Red", "Trainer left"]]
    clash = _load(factory, changed, LATER.date(), now=LATER + dt.timedelta(hours=2))
    assert clash.updates_recorded == 0
    assert len(clash.conflicts) == 1


def test_an_as_at_day_still_to_come_is_refused(factory):
    with pytest.raises(AsAtError, match="has not come yet"):
        _load(factory, Q1_FILE, NOW.date() + dt.timedelta(days=1))
    with factory() as session:
        assert session.scalar(select(ProgressUpdate.id)) is None


# --- Period column groups (section 3) ---------------------------------------------------------

PERIOD_HEADER = ["Ref", "Action", "Lead", "Q1 RAG", "Q1 update", "Q2 RAG", "Q2 update"]
PERIOD_ROWS = [
    PERIOD_HEADER,
    ["1.1", "Train staff", "Police", "Red", "Not started", "Amber", "Trainer found"],
    ["1.2", "Open refuge", "Council", "Green", "Opened", "", ""],  # Q2 empty: Q1 stands
    ["1.3", "Audit cases", "Probation", "", "", "Complete", "Done"],
]


def _load_periods(factory, rows=PERIOD_ROWS, *, as_at=dt.date(2017, 10, 20), plan=None):
    data = xlsx_bytes(("Tracker", rows))
    return import_file(
        factory,
        data,
        "tracker.xlsx",
        plan_name=plan or "Community Safety 2017/18",
        author="Officer",
        now=NOW,
        as_at=as_at,
    )


def test_period_column_groups_become_dated_history(factory):
    report = _load_periods(factory)
    assert report.updates_recorded == 4
    assert report.unmapped_columns == []
    assert any(
        "quarter columns name no year: read as 2017/18 (the plan's period)" in str(issue)
        for issue in report.issues
    )
    with factory() as session:
        assert _history(session) == [
            ("1.1", Rag.RED, "Not started", "Q1 2017/18", Q1_END, NOW.date()),
            ("1.1", Rag.AMBER, "Trainer found", "Q2 2017/18", Q2_END, NOW.date()),
            ("1.2", Rag.GREEN, "Opened", "Q1 2017/18", Q1_END, NOW.date()),
            ("1.3", Rag.BLUE, "Done", "Q2 2017/18", Q2_END, NOW.date()),
        ]
        done = select(ProgressUpdate.status).where(ProgressUpdate.progress == "Done")
        assert session.scalars(done).all() == [DeliveryStatus.COMPLETE]
        extra = session.scalars(select(Action.extra).order_by(Action.position)).all()
        assert extra == [{}, {}, {}]


def test_right_after_one_import_past_quarters_and_direction_of_travel_show(factory):
    _load_periods(factory)
    with factory() as session:
        plan = Selection(plan_id=session.scalar(select(Action.plan_id).limit(1)))
        at_q1 = rag_counts(session, as_at=Q1_END, selection=plan)
        at_q2 = rag_counts(session, as_at=Q2_END, selection=plan)
        assert (at_q1.red, at_q1.green, at_q1.not_rated, at_q1.total) == (1, 1, 0, 2)
        assert (at_q2.amber, at_q2.green, at_q2.blue, at_q2.total) == (1, 1, 1, 3)
        assert movement(
            session, selection=plan, as_at=Q2_END, compared_with=Q1_END
        ) == MovementCounts(improved=1, new=1, unchanged=1)
        current = action_views(session, as_at=NOW.date(), selection=plan)
        assert [(v.ref, v.rag, v.latest_update) for v in current] == [
            ("1.1", Rag.AMBER, "Trainer found"),
            ("1.2", Rag.GREEN, "Opened"),
            ("1.3", Rag.BLUE, "Done"),
        ]


def test_reimporting_a_period_tracker_adds_nothing(factory):
    _load_periods(factory)
    again = _load_periods(factory, as_at=NOW.date())
    assert (again.updates_recorded, again.conflicts) == (0, [])


def test_period_headings_with_years_months_and_year_first(factory):
    rows = [
        ["Ref", "Action", "Lead", "RAG Jun-17", "RAG Sep-17", "Progress 2016/17 Q3"],
        ["1", "Train staff", "Police", "A", "G", "Planned"],
    ]
    _load_periods(factory, rows, plan="Tracker")
    with factory() as session:
        assert _history(session, "Tracker") == [
            ("1", None, "Planned", "Q3 2016/17", dt.date(2016, 12, 31), NOW.date()),
            ("1", Rag.AMBER, None, "Jun 2017", Q1_END, NOW.date()),
            ("1", Rag.GREEN, None, "Sep 2017", Q2_END, NOW.date()),
            # The row's own current state (latest rating, latest update) as at the file's day.
            ("1", Rag.GREEN, "Planned", "Q3 2017/18", dt.date(2017, 10, 20), NOW.date()),
        ]


def test_a_period_not_yet_ended_describes_the_as_at_day(factory):
    rows = [PERIOD_HEADER, ["1.1", "Train staff", "Police", "Red", "Slow", "Amber", "Better"]]
    _load_periods(factory, rows, as_at=dt.date(2017, 8, 15))
    with factory() as session:
        assert [(p, d) for _, _, _, p, d, _ in _history(session)] == [
            ("Q1 2017/18", Q1_END),
            ("Q2 2017/18", dt.date(2017, 8, 15)),
        ]


def test_a_header_over_two_rows_whose_groups_name_quarters_gives_dated_history(factory):
    """The group row "Progress report Q1 2017/18" over "RAG | Update" is a period group: each
    quarter becomes history, not the first quarter read as the row's own RAG."""
    rows = [
        ["Ref", "Action", "Lead", "Progress report Q1 2017/18", "", "Progress report Q2 2017/18"],
        ["", "", "", "RAG", "Update", "RAG", "Update"],
        ["1.1", "Train staff", "Police", "Red", "Not started", "Amber", "Trainer found"],
        ["1.2", "Open refuge", "Council", "Green", "Opened", "", ""],
    ]
    report = import_file(
        factory,
        csv_bytes(rows),
        "two.csv",
        plan_name="DA",
        author="Officer",
        now=NOW,
        as_at=dt.date(2017, 10, 20),
    )
    assert (report.updates_recorded, report.issues) == (3, [])
    with factory() as session:
        assert _history(session) == [
            ("1.1", Rag.RED, "Not started", "Q1 2017/18", Q1_END, NOW.date()),
            ("1.1", Rag.AMBER, "Trainer found", "Q2 2017/18", Q2_END, NOW.date()),
            ("1.2", Rag.GREEN, "Opened", "Q1 2017/18", Q1_END, NOW.date()),
        ]


def test_one_dated_rating_column_describes_the_end_of_its_quarter(factory):
    """'RAG status Q2' alone is still the row's own RAG, and its entry is dated at the end of
    Q2 with the period recorded; the undated 'Progress to date' describes the as-at day."""
    rows = [
        ["Ref", "Action", "Lead", "RAG status Q2", "Progress to date"],
        ["1", "Train staff", "Police", "Amber", "Trainer found"],
        ["2", "Open refuge", "Council", "Green", ""],
    ]
    report = _load_periods(factory, rows, plan="Tracker")
    assert (report.updates_recorded, report.conflicts) == (3, [])
    assert [i.message for i in report.issues] == [
        "quarter columns name no year: read as 2017/18 "
        "(the financial year of the import's as-at date); "
        "give the as-at date or the plan period to read them as another year"
    ]
    with factory() as session:
        assert _history(session, "Tracker") == [
            ("1", Rag.AMBER, None, "Q2 2017/18", Q2_END, NOW.date()),
            ("1", Rag.AMBER, "Trainer found", "Q3 2017/18", dt.date(2017, 10, 20), NOW.date()),
            ("2", Rag.GREEN, None, "Q2 2017/18", Q2_END, NOW.date()),
        ]


def test_quarters_without_a_year_are_in_the_year_the_files_title_names(factory):
    titled = [["Community Safety Delivery Plan 2016/17 – quarterly tracker"], [], *PERIOD_ROWS]
    report = import_file(
        factory,
        xlsx_bytes(("Tracker", titled)),
        "tracker.xlsx",
        plan_name="Community Safety",  # no year: the file's title gives it
        author="Officer",
        now=NOW,
        as_at=NOW.date(),  # in 2017/18
    )
    assert any(
        "read as 2016/17 (the year the file's title or name gives)" in str(issue)
        for issue in report.issues
    )
    with factory() as session:
        q1, q2 = dt.date(2016, 6, 30), dt.date(2016, 9, 30)
        assert _history(session, "Community Safety") == [
            ("1.1", Rag.RED, "Not started", "Q1 2016/17", q1, NOW.date()),
            ("1.1", Rag.AMBER, "Trainer found", "Q2 2016/17", q2, NOW.date()),
            ("1.2", Rag.GREEN, "Opened", "Q1 2016/17", q1, NOW.date()),
            ("1.3", Rag.BLUE, "Done", "Q2 2016/17", q2, NOW.date()),
        ]


def test_the_report_names_each_row_recorded_as_written_once(factory):
    # Row 2's Red and Amber quarters lack an issue and remedy (two entries, one row); row 4's
    # Blue lacks its completion date.
    report = _load_periods(factory)
    assert report.recorded_as_written == [2, 2, 4]
    (line,) = [line for line in report.lines() if line.startswith("Recorded as the file")]
    assert line.startswith("Recorded as the file states them (3 entries; rows 2, 4): ")
