"""The one error type a reader raises: a sentence a user can act on, naming the file."""


class ImportFileError(Exception):
    """The file cannot be read as an action plan. `str(error)` is shown to the user as is."""

    def __init__(self, filename: str, problem: str) -> None:
        self.filename = filename
        self.problem = problem
        super().__init__(f"{filename}: {problem}")


class MissingColumnsError(ImportFileError):
    """A column mapping names columns the file does not have (`columns`, as given)."""

    def __init__(self, filename: str, columns: list[str], found: list[str]) -> None:
        self.columns = columns
        listed = ", ".join(f"'{c}'" for c in columns)
        has = "; its columns are " + ", ".join(f"'{h}'" for h in found) if found else ""
        super().__init__(filename, f"has no column {listed} (named in the column mapping){has}")
