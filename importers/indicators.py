"""Indicator tables as councils keep them, read from `.xlsx` or `.csv` bytes (pure: no database).

Two layouts, found from the header row (anywhere in a sheet's first 30 rows):

- **wide**: one row per indicator, a column per period ("Q1 2016/17", "Apr-16", "2015/16")
  and target columns ("Target 2016/17", "Target Q1 2016/17");
- **long**: one row per indicator and period, with columns indicator, period, value and
  optionally target and note.

Every problem is a RowIssue naming the file, sheet, row and field; nothing is guessed: an
indicator with no polarity is contextual (no RAG) and the report says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from importers.errors import ImportFileError
from importers.rows import RowIssue
from importers.table import Sheet, cell_text
from rulebook.indicators import UNITS, Frequency, Polarity, ValueStatus
from rulebook.periods import Period, PeriodKind, is_target_heading, read_period

HEADER_ROWS = 30
# report(field, message): a warning about the row being read.
Report = Callable[[str | None, str], None]
_KIND_FREQUENCY = {
    PeriodKind.MONTH: Frequency.MONTHLY,
    PeriodKind.QUARTER: Frequency.QUARTERLY,
    PeriodKind.YEAR: Frequency.ANNUAL,
}

_HEADERS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "ref no", "reference", "code", "indicator ref", "kpi ref", "pi ref", "id"),
    "name": (
        "indicator",
        "indicator name",
        "indicators",
        "measure",
        "performance indicator",
        "kpi",
        "performance measure",
    ),
    "objective": ("objective", "strategic objective", "priority", "theme", "outcome"),
    "unit": ("unit", "units", "unit of measure"),
    "polarity": ("polarity", "good is", "better is", "good performance is", "direction"),
    "frequency": ("frequency", "reporting frequency", "reported"),
    "cumulative": ("cumulative", "cumulative or snapshot", "type"),
    "owner": ("owner", "lead", "lead officer", "responsible officer", "responsible"),
    "definition": ("definition", "description"),
    "data_source": ("data source", "source"),
    "baseline": ("baseline",),
    "period": ("period", "quarter", "month", "reporting period", "year"),
    "value": ("value", "actual", "result", "outturn", "performance"),
    "target": ("target",),
    "note": ("note", "notes", "comment", "comments", "commentary"),
}
_FIELD_OF = {words: name for name, all_words in _HEADERS.items() for words in all_words}

_POLARITY_WORDS = {
    Polarity.HIGHER_IS_BETTER: ("higher is better", "higher", "high", "up", "increase", "↑"),
    Polarity.LOWER_IS_BETTER: ("lower is better", "lower", "low", "down", "decrease", "↓"),
    Polarity.CONTEXTUAL: ("contextual", "context", "activity", "none", "n/a", "no target"),
}
_NOT_YET = frozenset({"n/a", "na", "not yet available", "nya", "tbc", "awaited", "not available"})
_SUPPRESSED = frozenset({"*", "s", "suppressed", "<5", "< 5", "x", "supp"})
_UNITS = {
    "count": "count",
    "number": "count",
    "no.": "count",
    "%": "%",
    "percent": "%",
    "percentage": "%",
    "rate": "rate per 1,000",
    "rate per 1,000": "rate per 1,000",
    "rate per 1000": "rate per 1,000",
    "per 1,000": "rate per 1,000",
    "£": "£",
    "gbp": "£",
    "days": "days",
}


@dataclass
class IndicatorRecord:
    """One indicator as the file gives it."""

    name: str
    sheet: str
    row: int
    ref: str | None = None
    objective: str | None = None
    unit: str = "count"
    polarity: Polarity = Polarity.CONTEXTUAL
    frequency: Frequency = Frequency.QUARTERLY
    cumulative: bool = False
    owner: str | None = None
    definition: str | None = None
    data_source: str | None = None
    baseline_value: float | None = None
    baseline_period: str | None = None
    values: dict[Period, tuple[ValueStatus, float | None, str | None]] = field(default_factory=dict)
    targets: dict[Period, float] = field(default_factory=dict)


@dataclass
class IndicatorRead:
    file: str
    layout: str = ""
    indicators: list[IndicatorRecord] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    sheets_skipped: list[str] = field(default_factory=list)


def read_indicator_file(data: bytes, filename: str) -> IndicatorRead:
    """Every indicator in an indicator table file, or ImportFileError saying why not."""
    name = PurePath(filename).name or filename or "file"
    if not data:
        raise ImportFileError(name, "is empty")
    suffix = PurePath(name).suffix.lower()
    if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        from importers.xlsx import read_xlsx_sheets

        sheets = read_xlsx_sheets(data, name)
    elif suffix in (".csv", ".txt", ".tsv"):
        from importers.csv_reader import read_csv_sheet

        sheets = [read_csv_sheet(data, name)]
    else:
        raise ImportFileError(name, "is not an .xlsx or .csv file")
    result = IndicatorRead(file=name)
    for sheet in sheets:
        _read_sheet(sheet, result)
    if not result.indicators:
        raise ImportFileError(
            name,
            "holds no indicator table: no header row names an Indicator column with period "
            "columns (Q1 2016/17, Apr-16, 2016/17) or a Period and a Value column",
        )
    return result


def _read_sheet(sheet: Sheet, result: IndicatorRead) -> None:
    found = _header(sheet)
    if found is None:
        result.sheets_skipped.append(sheet.name)
        return
    index, columns, periods, targets = found
    if "period" in columns.values() and "value" in columns.values():
        result.layout = result.layout or "long"
        _read_long(sheet, index, columns, result)
    else:
        result.layout = result.layout or "wide"
        _read_wide(sheet, index, columns, periods, targets, result)


def _header(
    sheet: Sheet,
) -> tuple[int, dict[int, str], dict[int, Period], dict[int, Period]] | None:
    for index, cells in enumerate(sheet.rows[:HEADER_ROWS]):
        columns: dict[int, str] = {}
        periods: dict[int, Period] = {}
        targets: dict[int, Period] = {}
        for column, cell in enumerate(cells):
            period = read_period(cell)
            if period is not None and not isinstance(cell, (int, float)):
                (targets if is_target_heading(cell) else periods)[column] = period
                continue
            key = _FIELD_OF.get(_normalise(cell))
            if key is not None and key not in columns.values():
                columns[column] = key
        fields = set(columns.values())
        if "name" in fields and (periods or targets or {"period", "value"} <= fields):
            return index, columns, periods, targets
    return None


def _normalise(cell: object) -> str:
    return re.sub(r"\s+", " ", cell_text(cell).lower().strip(" :?")) if cell is not None else ""


def _issue(
    result: IndicatorRead, sheet: Sheet, index: int, column: str | None, message: str
) -> None:
    where, row = sheet.where(index)
    result.issues.append(
        RowIssue(file=result.file, sheet=where, row=row, field=column, message=message)
    )


def _attributes(
    record: IndicatorRecord, cells: list[object], columns: dict[int, str], report: Report
) -> None:
    for column, key in columns.items():
        text = cell_text(cells[column]) if column < len(cells) else ""
        if text and key in _ATTRIBUTE_READERS:
            _ATTRIBUTE_READERS[key](record, text, cells[column], report)


def _read_polarity(record: IndicatorRecord, text: str, _cell: object, report: Report) -> None:
    polarity = _polarity(text)
    if polarity is None:
        report("polarity", f"'{text}' is not a polarity; say higher or lower is better")
    else:
        record.polarity = polarity


def _read_frequency(record: IndicatorRecord, text: str, _cell: object, report: Report) -> None:
    frequency = _frequency(text)
    if frequency is None:
        report("frequency", f"'{text}' is not monthly, quarterly or annual")
    else:
        record.frequency = frequency


def _read_baseline(record: IndicatorRecord, text: str, cell: object, report: Report) -> None:
    status, number = _figure(cell)
    if status is ValueStatus.VALUE:
        record.baseline_value = number
    else:
        report("baseline", f"'{text}' is not a number")


def _read_text(key: str, limit: int | None = None) -> AttributeReader:
    def read(record: IndicatorRecord, text: str, _cell: object, _report: Report) -> None:
        setattr(record, key, text[:limit] if limit else text)

    return read


def _read_unit(record: IndicatorRecord, text: str, _cell: object, _report: Report) -> None:
    record.unit = _UNITS.get(text.lower(), text[:40])


def _read_cumulative(record: IndicatorRecord, text: str, _cell: object, _report: Report) -> None:
    record.cumulative = text.lower() in ("yes", "y", "true", "cumulative", "ytd")


AttributeReader = Callable[[IndicatorRecord, str, object, Report], None]
# The columns that describe an indicator (name, period, value, target and note are read apart).
_ATTRIBUTE_READERS: dict[str, AttributeReader] = {
    "polarity": _read_polarity,
    "frequency": _read_frequency,
    "unit": _read_unit,
    "cumulative": _read_cumulative,
    "baseline": _read_baseline,
    "ref": _read_text("ref", 40),
    "objective": _read_text("objective"),
    "owner": _read_text("owner"),
    "definition": _read_text("definition"),
    "data_source": _read_text("data_source"),
}


def _polarity(text: str) -> Polarity | None:
    lowered = text.lower().strip()
    for polarity, words in _POLARITY_WORDS.items():
        if lowered in words:
            return polarity
    return None


def _frequency(text: str) -> Frequency | None:
    lowered = text.lower().strip()
    for frequency, words in (
        (Frequency.MONTHLY, ("monthly", "month")),
        (Frequency.QUARTERLY, ("quarterly", "quarter")),
        (Frequency.ANNUAL, ("annual", "annually", "yearly", "year")),
    ):
        if lowered in words:
            return frequency
    return None


def _figure(cell: object) -> tuple[ValueStatus | None, float | None]:
    """A cell as a figure: (VALUE, number), (NOT_YET_AVAILABLE | SUPPRESSED, None), (None,
    None) when blank, or (VALUE, None) when it is text that is not a number."""
    if cell is None:
        return None, None
    if isinstance(cell, bool):
        return ValueStatus.VALUE, None
    if isinstance(cell, (int, float)):
        return ValueStatus.VALUE, float(cell)
    text = cell_text(cell)
    if not text:
        return None, None
    lowered = text.lower()
    if lowered in _NOT_YET:
        return ValueStatus.NOT_YET_AVAILABLE, None
    if lowered in _SUPPRESSED:
        return ValueStatus.SUPPRESSED, None
    cleaned = re.sub(r"^[£]|[%,\s]", "", text)
    try:
        return ValueStatus.VALUE, float(cleaned)
    except ValueError:
        return ValueStatus.VALUE, None


def _new_record(sheet: Sheet, index: int, name: str) -> IndicatorRecord:
    where, row = sheet.where(index)
    return IndicatorRecord(name=name, sheet=where, row=row)


def _read_wide(
    sheet: Sheet,
    header: int,
    columns: dict[int, str],
    periods: dict[int, Period],
    targets: dict[int, Period],
    result: IndicatorRead,
) -> None:
    name_column = next(c for c, key in columns.items() if key == "name")
    for index in range(header + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        name = cell_text(cells[name_column]) if name_column < len(cells) else ""
        if not name:
            continue

        def report(column: str | None, message: str, index: int = index) -> None:
            _issue(result, sheet, index, column, message)

        record = _new_record(sheet, index, name)
        _attributes(record, cells, columns, report)
        kinds = [p.kind for p in periods.values()]
        if "frequency" not in columns.values() and kinds:
            record.frequency = _KIND_FREQUENCY[max(set(kinds), key=kinds.count)]
        for column, period in periods.items():
            cell = cells[column] if column < len(cells) else None
            _add_value(record, period, cell, None, report, period.label)
        for column, period in targets.items():
            cell = cells[column] if column < len(cells) else None
            _add_target(record, period, cell, report, f"target {period.label}")
        _finish(record, columns, report, result)


def _read_long(sheet: Sheet, header: int, columns: dict[int, str], result: IndicatorRead) -> None:
    at = {key: column for column, key in columns.items()}
    by_key: dict[str, IndicatorRecord] = {}
    for index in range(header + 1, len(sheet.rows)):
        cells = sheet.rows[index]

        def cell(key: str, cells: list[object] = cells) -> object:
            column = at.get(key)
            return cells[column] if column is not None and column < len(cells) else None

        def report(column: str | None, message: str, index: int = index) -> None:
            _issue(result, sheet, index, column, message)

        name = cell_text(cell("name"))
        if not name:
            continue
        ref = cell_text(cell("ref"))[:40] or None
        key = (ref or name).casefold()
        record = by_key.get(key)
        if record is None:
            record = by_key[key] = _new_record(sheet, index, name)
            record.frequency = Frequency.QUARTERLY
        _attributes(record, cells, columns, report)
        period = read_period(cell("period"))
        if period is None:
            report("period", f"'{cell_text(cell('period'))}' is not a period like Q1 2016/17")
            continue
        if "frequency" not in columns.values() and not record.values and not record.targets:
            record.frequency = _KIND_FREQUENCY[period.kind]
        note = cell_text(cell("note")) or None
        _add_value(record, period, cell("value"), note, report, "value")
        _add_target(record, period, cell("target"), report, "target")
    for record in by_key.values():

        def report_first(
            column: str | None, message: str, record: IndicatorRecord = record
        ) -> None:
            result.issues.append(
                RowIssue(
                    file=result.file,
                    sheet=record.sheet,
                    row=record.row,
                    field=column,
                    message=message,
                )
            )

        _finish(record, columns, report_first, result)


def _add_value(
    record: IndicatorRecord,
    period: Period,
    cell: object,
    note: str | None,
    report: Report,
    column: str,
) -> None:
    status, number = _figure(cell)
    if status is None:
        return
    if status is ValueStatus.VALUE and number is None:
        report(column, f"'{cell_text(cell)}' is not a number; the value was not imported")
        return
    if period in record.values:
        report(column, f"{period.label} is given twice; the first is kept")
        return
    record.values[period] = (status, number, note)


def _add_target(
    record: IndicatorRecord, period: Period, cell: object, report: Report, column: str
) -> None:
    status, number = _figure(cell)
    if status is None:
        return
    if status is not ValueStatus.VALUE or number is None:
        report(column, f"'{cell_text(cell)}' is not a number; the target was not imported")
        return
    record.targets[period] = number


def _finish(
    record: IndicatorRecord, columns: dict[int, str], report: Report, result: IndicatorRead
) -> None:
    """Fit values and targets to the indicator's frequency, and warn about what was left."""
    expected = {v: k for k, v in _KIND_FREQUENCY.items()}[record.frequency]
    for period in sorted(record.values):
        if period.kind is expected:
            continue
        _, number, _ = record.values.pop(period)
        if period.kind is PeriodKind.YEAR and record.baseline_value is None and number is not None:
            record.baseline_value, record.baseline_period = number, period.label
            report(
                period.label,
                f"an annual figure for a {record.frequency.value} indicator: kept as its baseline",
            )
        else:
            report(
                period.label,
                f"not a {expected.value}: {record.ref or record.name} is reported "
                f"{record.frequency.value}; not imported",
            )
    for period in sorted(record.targets):
        if period.kind is expected:
            continue
        target = record.targets.pop(period)
        if period.kind is PeriodKind.YEAR:
            covered = _within(period, expected, record.cumulative)
            for part in covered:
                record.targets.setdefault(part, target)
        else:
            report(f"target {period.label}", f"not a {expected.value}; not imported")
    if record.targets and record.polarity is Polarity.CONTEXTUAL:
        report("polarity", "no polarity (higher or lower is better): shown without RAG")
    if record.unit not in UNITS:
        report("unit", f"'{record.unit}' is kept as written")
    result.indicators.append(record)


def _within(year: Period, kind: PeriodKind, cumulative: bool) -> list[Period]:
    """The periods an annual target applies to: each of the year's periods, or for a
    year-to-date figure only the last (the year's end)."""
    from rulebook.periods import period_containing, shifted

    first = period_containing(kind, year.start)
    count = 4 if kind is PeriodKind.QUARTER else 12
    parts = [shifted(first, n) for n in range(count)]
    return parts[-1:] if cumulative else parts
