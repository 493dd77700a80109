"""Plain-text tables and budget verdicts shared by every section of the benchmark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """One budget's outcome: ``within`` is None when the budget could not be measured in this run."""

    budget: str
    within: bool | None
    detail: str

    @property
    def label(self) -> str:
        if self.within is None:
            return "NOT MEASURED"
        return "within" if self.within else "OVER"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> str:
    """Columns padded to their widest cell; the columns listed in ``right`` are right-aligned (numbers)."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        padded = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(cells)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def heading(title: str) -> str:
    return f"\n{title}\n{'=' * len(title)}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def kb(size: int) -> str:
    return f"{size / 1000:.1f} KB"


def mb(size: int) -> str:
    return f"{size / 1_000_000:.2f} MB"
