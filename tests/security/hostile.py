"""Files that are small on disk but hostile, and a child process that reads one under a memory cap.

`python -m tests.security.hostile [--memory-mb N] [--timeout S]` reads each file in its own child
and prints the time, peak memory and outcome: the measurements in the security issue.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.builders import csv_bytes, docx_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
# The tree whose importers the child runs: another checkout, to measure the code before a change.
CODE = Path(os.environ.get("HOSTILE_IMPORTERS_FROM", ROOT))
HEADER = ["Ref", "Action", "Owner", "Deadline"]
ACTIONS = [
    ["1.1", "Run campaigns", "Karen Cooney", "31/03/2026"],
    ["1.2", "Fund refuge", "Ann", ""],
]
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _plan_rows() -> list[str]:
    rows = []
    for number, values in enumerate([HEADER, *ACTIONS], start=1):
        cells = "".join(_inline(f"{'ABCD'[i]}{number}", v) for i, v in enumerate(values) if v)
        rows.append(f'<row r="{number}">{cells}</row>')
    return rows


def _worksheet(rows: list[str] | str) -> bytes:
    data = rows if isinstance(rows, str) else "".join(rows)
    return f"<worksheet {_MAIN}><sheetData>{data}</sheetData></worksheet>".encode()


def workbook(*sheets: bytes) -> bytes:
    """An .xlsx whose sheets hold the given worksheet XML, with enough incompressible padding
    that the zip-bomb ratio check (200:1) lets it through: what is tested is what comes after."""
    template = xlsx_bytes(*((f"Sheet{n}", [["x"]]) for n in range(1, len(sheets) + 1)))
    source = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    unpacked = packed = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = sheets[int(item.filename[19:-4]) - 1]
            target.writestr(item.filename, content)
            unpacked += len(content)
        packed = sum(i.compress_size for i in target.infolist())
        # Random bytes do not compress: enough of them keeps the ratio near 100:1.
        padding = max(0, unpacked // 100 - packed)
        target.writestr("docProps/padding.bin", random.Random(0).randbytes(padding))
    return out.getvalue()


def xlsx_far_column(rows: int = 20_000) -> bytes:
    """A plan whose every row also has a cell in column XFD, the last Excel allows."""
    body = _plan_rows()
    for number in range(4, rows + 4):
        body.append(
            f'<row r="{number}">{_inline(f"A{number}", str(number))}'
            f"{_inline(f'B{number}', f'Action {number}')}{_inline(f'XFD{number}', 'x')}</row>"
        )
    return workbook(_worksheet(body))


def xlsx_empty_rows(rows: int = 2_000_000) -> bytes:
    """A plan, millions of empty rows (row elements with nothing in them), one more action."""
    last = _inline("B1", "After the gap").replace("B1", f"B{rows + 4}")
    return workbook(_worksheet([*_plan_rows(), "<row/>" * rows, f"<row>{last}</row>"]))


def xlsx_many_rows(rows: int = 600_000) -> bytes:
    """More rows than the limit (200,000), each a real action."""
    body = _plan_rows()
    body.extend(
        f"<row>{_inline(f'A{n}', str(n))}{_inline(f'B{n}', 'Act')}</row>"
        for n in range(4, rows + 4)
    )
    return workbook(_worksheet(body))


def xlsx_wide_rows(rows: int = 100_000) -> bytes:
    """Rows that reach column 150 (under any column cap), so each row costs 150 cells."""
    body = _plan_rows()
    body.extend(
        f"<row>{_inline(f'B{n}', 'Act')}{_inline(f'ET{n}', 'x')}</row>" for n in range(4, rows + 4)
    )
    return workbook(_worksheet(body))


def xlsx_formula_whitespace(spaces: int = 100_000, cells: int = 3) -> bytes:
    """Formula cells followed by a long run of whitespace before their value."""
    body = _plan_rows()
    for number in range(4, cells + 4):
        body.append(
            f'<row r="{number}">{_inline(f"B{number}", "Act")}<c r="C{number}"><f>1</f>'
            f"{' ' * spaces}<v>5</v></c></row>"
        )
    return workbook(_worksheet(body))


def xlsx_long_number_format(chars: int = 200_000) -> bytes:
    """A plan whose style part has a number format of hundreds of thousands of characters."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(("Plan", [HEADER, *ACTIONS]))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/styles.xml":
                code = "[h" * (chars // 2)
                formats = (
                    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{code}"/></numFmts>'
                )
                styles = content.decode().replace('<numFmts count="0"/>', formats)
                # The first cell format uses it: openpyxl tests only the formats in use.
                cell_formats = styles.index("<cellXfs")
                used = styles[cell_formats:].replace('numFmtId="0"', 'numFmtId="164"', 1)
                content = (styles[:cell_formats] + used).encode()
            target.writestr(item, content)
        target.writestr("docProps/padding.bin", random.Random(0).randbytes(chars // 100))
    return out.getvalue()


def csv_blank_lines(lines: int = 10_000_000) -> bytes:
    """A plan followed by millions of empty lines."""
    return csv_bytes([HEADER, *ACTIONS]) + b"\r\n" * lines


def csv_long_row(commas: int = 20_000_000) -> bytes:
    """A plan whose last line is millions of empty cells."""
    return csv_bytes([HEADER, *ACTIONS]) + b"," * commas + b"\r\n"


def docx_grid_before(skip: int = 100_000_000) -> bytes:
    """A Word plan with a row that claims to start a hundred million grid columns in."""
    data = docx_bytes([HEADER, *ACTIONS, ["1.3", "Far away", "Bob", ""]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                text = content.decode()
                last_row = text.rindex("<w:tr>")
                properties = f'<w:trPr><w:gridBefore w:val="{skip}"/></w:trPr>'
                text = text[: last_row + 6] + properties + text[last_row + 6 :]
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


HOSTILE = {
    "far-column.xlsx": xlsx_far_column,
    "empty-rows.xlsx": xlsx_empty_rows,
    "many-rows.xlsx": xlsx_many_rows,
    "wide-rows.xlsx": xlsx_wide_rows,
    "formula-whitespace.xlsx": xlsx_formula_whitespace,
    "number-format.xlsx": xlsx_long_number_format,
    "blank-lines.csv": csv_blank_lines,
    "long-row.csv": csv_long_row,
    "grid-before.docx": docx_grid_before,
}

# Runs in the child: cap the address space first, then read the file and report.
_CHILD = """
import json, resource, sys, time
limit = int(sys.argv[3]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from importers import ImportFileError, read_plan_file
import importers.csv_reader, importers.docx_reader, importers.table, importers.xlsx
data = open(sys.argv[1], "rb").read()
start, cpu = time.perf_counter(), time.process_time()
try:
    result = read_plan_file(data, sys.argv[2])
    outcome = {
        "actions": [[r.ref, r.action] for r in result.rows],
        "issues": [str(i) for i in result.issues],
    }
except ImportFileError as error:
    outcome = {"refused": str(error)}
outcome["seconds"] = time.perf_counter() - start
outcome["cpu_seconds"] = time.process_time() - cpu
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
outcome["peak_mb"] = int(status["VmHWM"].split()[0]) / 1024
print(json.dumps(outcome))
"""


@dataclass
class Outcome:
    """What a read in a child process came to."""

    refused: str | None = None
    actions: list[list[str | None]] | None = None
    issues: list[str] | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_mb: float = 0.0
    died: str | None = None  # killed at the time limit, or crashed


def read_in_child(
    data: bytes, filename: str, *, memory_mb: int = 512, timeout: float = 60, code: Path = CODE
) -> Outcome:
    """Read `data` with `read_plan_file` (the importers under `code`) in a child process limited
    to `memory_mb` of address space, killed after `timeout` seconds."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path), filename, str(memory_mb)],
                cwd=code,
                env={**os.environ, "PYTHONPATH": str(code)},
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Outcome(
                died=f"killed after {timeout:.0f} s", seconds=time.perf_counter() - started
            )
    if done.returncode != 0 or not done.stdout.strip():
        return Outcome(died=(done.stderr.strip().splitlines() or ["no output"])[-1])
    return Outcome(**json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--memory-mb", type=int, default=512)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--code", type=Path, default=CODE, help="a tree with importers/ to run")
    parser.add_argument("names", nargs="*", default=list(HOSTILE))
    options = parser.parse_args()
    for name in options.names:
        data = HOSTILE[name]()
        outcome = read_in_child(
            data, name, memory_mb=options.memory_mb, timeout=options.timeout, code=options.code
        )
        if outcome.died:
            what = outcome.died
        elif outcome.refused:
            what = f"refused: {outcome.refused}"
        else:
            what = f"read {len(outcome.actions or [])} actions, {len(outcome.issues or [])} issues"
            what += "".join(f"\n    {issue}" for issue in (outcome.issues or [])[:3])
        print(
            f"{name:24} {len(data) / 1024:9,.0f} KB  {outcome.seconds:7.1f} s "
            f"(cpu {outcome.cpu_seconds:6.1f} s)  peak {outcome.peak_mb:7,.0f} MB  {what}",
            flush=True,
        )


if __name__ == "__main__":
    main()
