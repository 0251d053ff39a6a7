"""What validation finds: a problem has a severity, a file, an element, a line and a Chinese message.

Errors refuse a bundle; warnings let it deploy and tell the designer what the platform assumed.
"""

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    element_id: str | None
    line: int | None
    message: str
    severity: str = ERROR

    @property
    def is_error(self):
        return self.severity == ERROR

    def as_dict(self):
        return {"file": self.file, "element_id": self.element_id, "line": self.line, "message": self.message,
                "severity": self.severity}


def warning(file, element_id, line, message):
    return Problem(file, element_id, line, message, WARNING)


def errors_in(problems):
    return [p for p in problems if p.is_error]


def warnings_in(problems):
    return [p for p in problems if not p.is_error]


class BundleError(Exception):
    """A bundle that cannot be used: `problems` lists everything found, errors and warnings."""

    def __init__(self, problems):
        super().__init__(f"{len(errors_in(problems))} errors")
        self.problems = problems
