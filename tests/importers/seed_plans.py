"""The two Trafford plans from the seeds, typed into Word documents the way they appear there.

The row texts come from `data/build_demo.py` (faithful transcriptions); the page layout (where
the tables break, which header rows repeat, which cells carry on onto the next page) is copied
from the seed text files `000_*.txt` (VAWC delivery plan) and `001_*.txt` (Domestic Abuse plan).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.builders import docx_bytes

_SPEC = importlib.util.spec_from_file_location(
    "build_demo", Path(__file__).resolve().parents[2] / "data" / "build_demo.py"
)
assert _SPEC is not None and _SPEC.loader is not None
demo = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(demo)

# --------------------------------------------------------------------------------------------
# VAWC delivery plan (000_*.txt): one table; each objective a row merged across the table with
# the header repeated under it; refs in an unlabelled first column; placeholders 1.5, 1.6, 2.4.
# --------------------------------------------------------------------------------------------
VAWC_HEADINGS = [  # as typed in the seed, irregular spacing included
    "Objective 1 – Prevention",
    "Objective 2 – Communication",
    "Objective 3 –  Safeguarding ",
    "Objective 4 – Provision",
    "Objective 5 – Protection: Improved access to court and criminal justice",
    "Objective 6– Transform for the future by effectively and efficiently tackling the key "
    "drivers behind offending and re-offending",
]
VAWC_PLACEHOLDERS = {"1": ["1.5", "1.6"], "2": ["2.4"]}


def vawc_docx() -> bytes:
    def header(word: str) -> list[str]:
        return [
            *["", word, "Owner", "Deadline", "RAG", "Progress Report", "Resourcing"],
            *["NI / STA", "Strategy\nLink"],
        ]

    tables: list[list] = [
        [["REDUCING VIOLENCE AGAINST WOMEN AND CHILDREN DELIVERY PLAN 2011/2014"]]
    ]
    tables[0][0] += [""] * 8
    tables[0].append([""] * 9)
    for number, (heading, (_, actions)) in enumerate(
        zip(VAWC_HEADINGS, demo.VAWC_PLAN, strict=True), start=1
    ):
        if number == 4:
            tables.append([])  # a page break: objectives 4-6 are a second table
        table = tables[-1]
        table.append(heading)
        table.append(header("Actions" if number == 1 else "Action"))
        for ref, action, owner, deadline, _rag, _progress in actions:
            table.append([ref, action, owner, deadline, "", "", "", "", ""])
        for ref in VAWC_PLACEHOLDERS.get(str(number), []):
            table.append([ref] + [""] * 8)
    return docx_bytes(
        "Reducing Violence Against Women and Children Strategy 2011-2014",
        "The Delivery Plan timetable over the three years of this strategy will be "
        "incorporated into the Safer People Delivery Plan.",
        *tables,
    )


# --------------------------------------------------------------------------------------------
# Domestic Abuse Steering Group plan (001_*.txt): 14 tables broken across pages, header row
# repeated on most pages (bold on some, "Rag" on some), five cells carried on to the next page,
# objectives as headings above a table or as a merged row inside one.
# --------------------------------------------------------------------------------------------
DA_HEADER = ["Action", "Milestone", "Lead", "Completion Date", "Target", "Update", "RAG"]
DA_HEADER_RAG = [*DA_HEADER[:-1], "Rag"]
# action number (1-based) -> (column, text that starts on the next page)
DA_SPLITS = {
    1: ("milestone", "safeguarding children and adults re FGM in Trafford"),
    10: ("target", "from DHR's"),
    11: ("source_update", "was looking at addressing"),
    12: ("source_update", "abuse and children Safeguarding"),
    28: ("target", "across Trafford to inform"),
}
_COLUMNS = ("action", "milestone", "lead", "date", "target", "source_update", "source_rag")


def _da_actions() -> list[dict]:
    return [a for _, _, actions in demo.DA_PLAN for a in actions]


def _objective(index: int) -> tuple[str, str]:
    objective, description, _ = demo.DA_PLAN[index]
    return objective, description


def da_docx() -> bytes:
    actions = _da_actions()

    def row(number: int, part: int = 0) -> list[str]:
        action = actions[number - 1]
        cells = [action[c] for c in _COLUMNS]
        if action["note"] == demo.MAP_ROW_NOTE:
            cells[4], cells[6] = "G", ""  # in the seed the "G" sits in the Target column
        if number in DA_SPLITS:
            column, start = DA_SPLITS[number]
            text = action[column]
            at = text.index(start)
            position = _COLUMNS.index(column)
            if part == 0:
                cells[position] = text[:at].rstrip()
            else:
                cells = [""] * 7
                cells[position] = text[at:]
        return cells

    def cont(number: int) -> list[str]:
        return row(number, part=1)

    def heading_row(index: int) -> tuple:
        objective, description = _objective(index)
        return (
            "runs",
            [(f"Strategic Objective: {objective}", True), ("  ", False), (description, True)],
        )

    h, hb, hr = DA_HEADER, DA_HEADER, DA_HEADER_RAG
    victims, _, perpetrators, joint, _ = (_objective(i) for i in range(5))
    return docx_bytes(
        ("heading", "Trafford Domestic Abuse Steering Group Main"),
        "Greater Manchester Police and Crime Commissioner's Plan Aim: Protecting Vulnerable "
        "People – working with local people and partner agencies.",
        "Greater Manchester priority – to improve multi-agency collaboration and co-ordination",
        ("heading", f"Strategic Objective: {victims[0]}"),
        victims[1],
        [h, row(1)],
        [h, cont(1), row(2), row(3)],
        [h, row(4), row(5), row(6)],
        [hb, row(7), row(8), row(9), row(10)],
        [cont(10), heading_row(1), hr, row(11)],
        [h, cont(11), row(12)],
        [cont(12), [""] * 7],
        [hb, row(13), row(14), row(15), row(16)],
        ("runs", [(f"Strategic Objective: {perpetrators[0]}", True), (perpetrators[1], True)]),
        [hr, row(17), row(18), row(19)],
        [h, row(20), row(21)],
        ("runs", [(f"Strategic Objective: {joint[0]}", True)]),
        joint[1],
        [hr, row(22), hb, row(23), row(24), row(25)],
        [row(26), hb, row(27), heading_row(4), hr, row(28)],
        [cont(28), row(29), hb, row(30), row(31)],
        [row(32), hb, row(33), row(34)],
    )


def da_expected() -> list[tuple]:
    """(objective, description, action, milestone, lead, deadline text, target, update)."""
    out = []
    for objective, description, actions in demo.DA_PLAN:
        for a in actions:
            out.append(
                (
                    objective,
                    description,
                    a["action"],
                    a["milestone"],
                    a["lead"],
                    a["date"],
                    "G" if a["note"] == demo.MAP_ROW_NOTE else a["target"] or None,
                    a["source_update"] or None,
                )
            )
    return out
