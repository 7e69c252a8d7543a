"""As an officer: import a plan through the page, then download the board paper."""

import io

from openpyxl import load_workbook

from plan.database import make_engine, make_session_factory
from plan.queries import plan_options
from tests.builders import csv_bytes
from tests.e2e.conftest import settle, snapshot
from tests.e2e.test_owner import sign_in

ROWS = [
    ["Objective", "Ref", "Action", "Owner", "Deadline", "RAG", "Progress"],
    [
        "Prevention",
        "1.1",
        "Schools healthy relationships offer",
        "Cathy Rooney",
        "Q4 2026/27",
        "Amber",
        "Two schools signed up",
    ],
    ["Prevention", "1.2", "Bystander campaign", "Karen Cooney", "March 2027", "G", "Launched"],
    [
        "Protection",
        "2.1",
        "Review MARAC capacity",
        "Jeremy Pidd",
        "End of June 2026",
        "Red",
        "Referrals up 30%",
    ],
]


def _sidebar_link(page, name: str) -> None:
    # The menu is fully expanded: no "View more" to press first.
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name).click()
    settle(page)


def test_officer_imports_a_plan_and_downloads_the_board_paper(page, demo_server, tmp_path):
    sign_in(page, demo_server.url, "officer@demo.local")
    _sidebar_link(page, "Import a plan")
    source = tmp_path / "VAWG action plan 2026.csv"
    source.write_bytes(csv_bytes(ROWS))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(source)
    settle(page)
    page.get_by_role("button", name="Import 3 actions").wait_for()
    snapshot(page, "officer-import-preview")
    plan_name = page.get_by_label("Plan name").input_value()
    page.get_by_role("button", name="Import 3 actions").click()
    settle(page)
    snapshot(page, "officer-import-report")
    assert page.get_by_text("Actions: 3 created").count() >= 1

    engine = make_engine(demo_server.database_url)
    with make_session_factory(engine)() as session:
        assert (plan_name, 3) in [(o.name, o.actions) for o in plan_options(session)]
    engine.dispose()

    _sidebar_link(page, "Board papers")
    snapshot(page, "officer-board-papers")
    with page.expect_download() as download:
        page.get_by_role("button", name="Board paper (Excel)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    workbook = load_workbook(io.BytesIO(saved.read_bytes()))
    assert workbook.sheetnames[:4] == ["Summary", "Actions", "Exceptions", "Changes"]
    actions = workbook["Actions"]
    texts = {str(c.value) for row in actions.iter_rows() for c in row if c.value}
    assert "Review MARAC capacity" in texts
    assert workbook["Summary"]._charts


def test_signed_out_after_sign_out(page, demo_server):
    sign_in(page, demo_server.url, "officer@demo.local")
    _sidebar_link(page, "Your account")
    page.get_by_role("button", name="Sign out").click()
    settle(page)
    # Signed out, the officer pages leave the menu; a link to one still opens and refuses.
    navigation = page.locator('[data-testid="stSidebarNav"]')
    navigation.get_by_role("link", name="Import a plan").wait_for(state="detached")
    assert navigation.get_by_role("link", name="Bulk update").count() == 0
    page.goto(f"{demo_server.url}/import_plan")
    settle(page)
    assert page.get_by_text("Sign in first").count() == 1
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    page.goto(f"{demo_server.url}/bulk_update")
    settle(page)
    assert page.get_by_text("Sign in first").count() == 1
