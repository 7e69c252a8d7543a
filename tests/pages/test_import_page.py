"""The import page: upload, preview with warnings, override a column, name the plan, confirm."""

import datetime as dt

from sqlalchemy import func, select

from pages.session import ACTOR_KEY, SIGNED_IN_AT_KEY
from plan.models import Action, Plan
from plan.queries import plan_options
from tests.builders import actor_of, add_plan, add_user, csv_bytes
from tests.importers.seed_plans import da_docx
from tests.pages.conftest import metrics, shown

PAGE = "pages/import_plan.py"
NOT_A_FIELD = "(not a plan field: keep as an extra column)"
ROWS = [
    ["Objective", "Ref", "Action", "Owner", "Deadline", "Status", "Notes"],
    ["Objective 1 – Prevention", "1.1", "Run campaigns", "Karen Cooney", "Nov 2025", "G", "Two"],
    ["", "1.2", "Train staff", "Ian Peet", "Summer", "Red", "Late"],
    ["", "1.3", "", "", "", "", ""],
]


def _signed_in(app, factory, role: str = "officer"):
    with factory() as session:
        add_user(session, f"{role}@test.org", role)
        session.commit()
        app.session_state[ACTOR_KEY] = actor_of(session, f"{role}@test.org")
    app.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)


def _upload(app, factory, data: bytes, name: str, mime: str = "text/csv"):
    _signed_in(app, factory)
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception
    app.file_uploader(key="import_file").set_value((name, data, mime)).run()
    assert not app.exception
    return app


def _count(factory, model) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_preview_shows_actions_and_warnings_and_writes_nothing_before_confirm(app, factory):
    _upload(app, factory, csv_bytes(ROWS), "VAWG plan 2025.csv")
    assert metrics(app) == {"Objectives": 1, "Actions": 2, "Rows skipped": 1, "Warnings": 2}
    preview = app.dataframe[0].value
    assert list(preview["Ref"]) == ["1.1", "1.2"]
    assert list(preview["Objective"]) == ["Prevention", "Prevention"]
    assert list(preview["Owners"]) == ["Karen Cooney", "Ian Peet"]
    assert list(preview["RAG"]) == ["✔ Green", "✖ Red"]
    assert list(preview["Deadline"]) == ["30 Nov 2025 (Nov 2025)", "Summer"]
    assert list(preview["Warnings"]) == [
        "",
        "deadline: deadline 'Summer' is not a date the tracker can read: kept as written, "
        "no deadline set",
    ]
    others = app.dataframe[1].value
    assert list(others["Warning"]) == [
        "only a ref ('1.3') and nothing else: not an action, skipped"
    ]
    assert app.text_input(key="import_plan_name").value == "VAWG plan 2025"
    assert _count(factory, Plan) == 0 and _count(factory, Action) == 0

    app.text_input(key="import_plan_name").input("VAWG Action Plan").run()
    app.button(key="import_confirm").click().run()
    assert not app.exception
    with factory() as session:
        assert [(o.name, o.actions) for o in plan_options(session)] == [("VAWG Action Plan", 2)]
    report = app.code[0].value
    assert app.code[0].proto.wrap_lines  # read whole on a laptop, with no sideways scrolling
    assert "Actions: 2 created, 0 updated, 0 unchanged" in report
    assert "rows read, 1 skipped" in report
    assert "row 4: only a ref ('1.3')" in report
    # Done: the report and where to go next, not the preview and its button again.
    assert [b.key for b in app.button] == ["import_again"] and not app.dataframe
    app.button(key="import_again").click().run()
    assert app.button(key="import_confirm") and not app.code


def test_preview_says_how_each_column_was_read_and_why(app, factory):
    rows = [
        ["Commitment", "Responsible agency", "Target date", "Q3 position", "Q"],
        ["Run a public campaign on coercive control", "Police", "Mar 2026", "Green", "x"],
        ["Train every frontline housing officer", "Council", "Jun 2026", "Red", "y"],
    ]
    _upload(app, factory, csv_bytes(rows), "plan.csv")
    roles = next(
        f.value for f in app.dataframe if list(f.value.columns) == ["Column", "Read as", "Why"]
    )
    assert [tuple(r.values()) for r in roles.to_dict("records")][:3] == [
        ("Commitment", "Action", "header word"),
        ("Responsible agency", "Owner / lead", "header word"),
        ("Target date", "Deadline", "header word"),
    ]
    position = roles.iloc[3]
    assert (position["Column"], position["Read as"]) == ("Q3 position", "RAG")
    assert position["Why"].startswith("content")
    assert tuple(roles.iloc[4]) == ("Q", "extra field", "not recognised: kept as an extra field")


def test_column_mapping_override_changes_the_preview_and_the_import(app, factory):
    _upload(app, factory, csv_bytes(ROWS), "plan.csv")
    assert list(app.dataframe[0].value["RAG"]) == ["✔ Green", "✖ Red"]
    app.selectbox(key="import_map_Status").set_value(NOT_A_FIELD).run()
    app.selectbox(key="import_map_Notes").set_value("progress").run()
    assert not app.exception
    assert list(app.dataframe[0].value["RAG"]) == ["– Not rated", "– Not rated"]
    app.button(key="import_confirm").click().run()
    with factory() as session:
        actions = session.scalars(select(Action).order_by(Action.ref)).all()
        assert [(a.ref, a.extra, a.updates[-1].progress) for a in actions] == [
            ("1.1", {"Status": "G"}, "Two"),
            ("1.2", {"Status": "Red"}, "Late"),
        ]


def test_choosing_an_existing_plan_updates_it(app, factory):
    with factory() as session:
        add_plan(session, "Domestic Abuse Plan")
        session.commit()
    _upload(
        app,
        factory,
        da_docx(),
        "da.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert metrics(app)["Actions"] == 34
    app.selectbox(key="import_existing_plan").set_value("Domestic Abuse Plan").run()
    assert app.text_input(key="import_plan_name").value == "Domestic Abuse Plan"
    app.button(key="import_confirm").click().run()
    with factory() as session:
        assert [(o.name, o.actions) for o in plan_options(session)] == [("Domestic Abuse Plan", 34)]


def test_a_bad_file_shows_one_sentence_and_no_confirm(app, factory):
    _upload(app, factory, b"\x00\x01junk" * 100, "junk.csv")
    assert [shown(e.value) for e in app.error] == ["junk.csv: is binary, not a CSV text file"]
    assert not app.button
    assert _count(factory, Plan) == 0


def test_only_signed_in_importers_see_the_upload(app, factory):
    app.run()
    app.switch_page(PAGE).run()
    assert "Sign in first" in app.info[0].value
    assert not app.get("file_uploader")
    _signed_in(app, factory, "viewer")
    app.run()
    assert "cannot import plans" in app.warning[0].value
    assert not app.get("file_uploader")


def test_an_upload_that_outruns_its_limits_fails_alone_and_the_page_carries_on(app, factory):
    import importers.isolated as isolated

    defaults = isolated.read_isolated.__kwdefaults__
    tight = {**defaults, "limits": isolated.Limits(wall_seconds=0.05)}
    isolated.read_isolated.__kwdefaults__ = tight
    try:
        _upload(app, factory, csv_bytes(ROWS), "slow.csv")
    finally:
        isolated.read_isolated.__kwdefaults__ = defaults
    assert not app.exception
    assert "took more than 0 s to read and was stopped" in shown(app.error[0].value)
    assert _count(factory, Plan) == 0
    upload = ("plan.csv", csv_bytes(ROWS), "text/csv")
    app.file_uploader(key="import_file").set_value(upload).run()
    assert metrics(app)["Actions"] == 2  # the next upload reads normally


def test_the_uploader_says_the_size_the_importer_enforces(app, factory):
    from importers import MAX_FILE_BYTES

    _signed_in(app, factory)
    app.run()
    app.switch_page(PAGE).run()
    uploader = app.get("file_uploader")[0].proto
    assert uploader.max_upload_size_mb == MAX_FILE_BYTES // (1024 * 1024) == 50


def test_the_plan_period_is_imported_as_given_or_from_the_name(app, factory):
    _upload(app, factory, csv_bytes(ROWS), "VAWG plan 2025.csv")
    app.text_input(key="import_plan_name").input("VAWG Action Plan 2025-28").run()
    assert [shown(c.value) for c in app.caption if "Left empty" in c.value] == [
        "Left empty: the period its name says, 1 Apr 2025 to 31 Mar 2028"
    ]
    # A period that ends before it starts is refused before anything is written.
    app.date_input(key="import_period_start").set_value(dt.date(2025, 6, 1)).run()
    app.date_input(key="import_period_end").set_value(dt.date(2025, 5, 31)).run()
    assert [e.value for e in app.error] == [
        "Period: the period cannot end (31/05/2025) before it starts (01/06/2025)."
    ]
    assert app.button(key="import_confirm").disabled
    app.date_input(key="import_period_end").set_value(dt.date(2028, 6, 30)).run()
    app.button(key="import_confirm").click().run()
    assert not app.exception
    assert "Period: 1 Jun 2025 to 30 Jun 2028 (as given)" in app.code[0].value
    with factory() as session:
        (option,) = plan_options(session)
    assert option.period == (dt.date(2025, 6, 1), dt.date(2028, 6, 30))


# --- The as-at date, the sheet and a remembered mapping (issue 15) ----------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEGEND = [["Action", "Owner", "Deadline"], ["Not the plan", "Nobody", "2026"]]


def _tracker(update: str) -> bytes:
    from tests.builders import xlsx_bytes

    rows = [
        ["Ref", "Action", "Owner", "Status", "Notes"],
        ["1.1", "Run campaigns", "Karen Cooney", "G", update],
    ]
    return xlsx_bytes(("Legend", LEGEND), ("Tracker", rows))


def _entries(factory):
    from plan.models import ProgressUpdate

    with factory() as session:
        return [
            (u.rag.value, u.progress, u.described_on)
            for u in session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id))
        ]


def test_the_as_at_date_sheet_and_overrides_are_used_and_remembered(app, factory, database_url):
    app.default_timeout = 120  # each read is a child process: slow on a busy machine
    _upload(app, factory, _tracker("Two campaigns run"), "VAWG tracker.xlsx", XLSX)
    assert metrics(app)["Actions"] == 2  # both sheets, until one is chosen
    app.selectbox(key="import_sheet").set_value("Tracker").run()
    app.selectbox(key="import_map_Notes").set_value("progress").run()
    assert metrics(app)["Actions"] == 1
    assert app.date_input(key="import_as_at").value == dt.datetime.now(dt.UTC).date()
    app.date_input(key="import_as_at").set_value(dt.date(2025, 3, 31)).run()
    app.button(key="import_confirm").click().run()
    assert not app.exception
    report = app.code[0].value
    assert "Progress updates recorded: 1 (as at 31 Mar 2025)" in report
    assert "Column mapping used:\n  - progress = 'Notes' (as given)\n  - sheet 'Tracker'" in report
    assert _entries(factory) == [("Green", "Two campaigns run", dt.date(2025, 3, 31))]

    # Next quarter's file of the same shape: the plan's mapping is preset, nothing to ask.
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import APP

    later = AppTest.from_file(str(APP), default_timeout=120)
    with factory() as session:
        later.session_state[ACTOR_KEY] = actor_of(session, "officer@test.org")
    later.session_state[SIGNED_IN_AT_KEY] = dt.datetime.now(dt.UTC)
    later.run()
    later.switch_page(PAGE).run()
    upload = later.file_uploader(key="import_file")
    upload.set_value(("VAWG tracker.xlsx", _tracker("Four campaigns run"), XLSX)).run()
    assert not later.exception
    assert later.selectbox(key="import_sheet").value == "Tracker"
    assert later.selectbox(key="import_map_Notes").value == "progress"
    assert metrics(later)["Actions"] == 1
    later.date_input(key="import_as_at").set_value(dt.date(2025, 6, 30)).run()
    later.button(key="import_confirm").click().run()
    assert not later.exception
    assert "  - progress = 'Notes' (as given)" in later.code[0].value
    assert _entries(factory) == [
        ("Green", "Two campaigns run", dt.date(2025, 3, 31)),
        ("Green", "Four campaigns run", dt.date(2025, 6, 30)),
    ]


def test_the_page_names_every_kind_of_file_the_uploader_takes(app, factory):
    _signed_in(app, factory)
    app.run()
    app.switch_page(PAGE).run()
    (instruction,) = [shown(c.value) for c in app.caption if "you already keep" in c.value]
    for kind in (".xlsx", ".xlsm", ".xls", ".docx", "CSV", "tab-separated"):
        assert kind in instruction
