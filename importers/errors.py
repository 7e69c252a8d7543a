"""The one error type a reader raises: a sentence a user can act on, naming the file."""


class ImportFileError(Exception):
    """The file cannot be read as an action plan. `str(error)` is shown to the user as is."""

    def __init__(self, filename: str, problem: str) -> None:
        self.filename = filename
        self.problem = problem
        super().__init__(f"{filename}: {problem}")
