"""What a check found: problems at lines of the checked file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """One error, at a line of the checked file when the parser knows it."""

    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return where + self.message


@dataclass(slots=True)
class ValidationReport:
    """What was checked in one file and what is wrong with it."""

    path: str
    format: str
    checked: str  # "3 Mermaid charts", "1 DOT graph", ...
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """`path:line: message` per problem, as compilers print them."""
        return [
            f"{self.path}:{problem.line}: {problem.message}"
            if problem.line is not None
            else f"{self.path}: {problem.message}"
            for problem in self.problems
        ]
