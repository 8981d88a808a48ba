"""Problems are values: every stage collects them, the CLI prints them all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class RemitError(Exception):
    """Raised with every problem of a stage; the CLI prints them and exits non-zero."""

    def __init__(self, problems: list[Problem]) -> None:
        # The same problem found by several invoices (a theme's error) is reported once.
        self.problems = sorted(dict.fromkeys(problems),
                               key=lambda p: (p.file, p.line or 0, p.field or ""))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:
        # Raised in a pool worker, it crosses to the builder pickled, problems intact.
        return (type(self), (self.problems,))
