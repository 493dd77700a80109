"""Frontend weight: gzipped size of the JavaScript a first visit loads, and of every lazily loaded chunk.

"Initial" is what index.html loads directly (module scripts and modulepreload links) plus everything those
import statically, transitively. Every other .js file in dist/assets is a chunk loaded on navigation; for each,
"on navigation" adds its static imports that the initial load did not already bring.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from bench.report import Verdict, heading, kb, table

INITIAL_BUDGET = 60_000
CHUNK_BUDGET = 30_000

_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc=["']([^"']+\.js)["']""", re.IGNORECASE)
_PRELOAD = re.compile(r"""<link\b[^>]*\brel=["']modulepreload["'][^>]*\bhref=["']([^"']+\.js)["']""", re.IGNORECASE)
# Static imports only: `import x from "./a.js"`, `export * from "./a.js"`, `import "./a.js"`; never `import(...)`.
_STATIC_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*)["']([^"'()]+\.js)["']""")


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def _resolve(base: Path, reference: str, dist: Path) -> Path | None:
    clean = reference.split("?", 1)[0]
    target = (dist / clean.lstrip("/")) if clean.startswith("/") else (base.parent / clean)
    target = target.resolve()
    return target if target.is_file() else None


def static_closure(entries: list[Path], dist: Path) -> set[Path]:
    seen: set[Path] = set()
    pending = list(entries)
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for reference in _STATIC_IMPORT.findall(current.read_text(encoding="utf-8", errors="replace")):
            target = _resolve(current, reference, dist)
            if target is not None and target not in seen:
                pending.append(target)
    return seen


def measure(root: Path) -> tuple[str, list[Verdict]]:
    dist = root / "frontend" / "dist"
    index = dist / "index.html"
    if not index.is_file():
        text = f"{heading('3. Frontend')}\nfrontend/dist is missing: run `make frontend` (npm run build) first. Not measured."
        return text, [Verdict("frontend: initial JS <= 60 KB, chunks <= 30 KB (gzip)", None, "frontend/dist missing")]
    html = index.read_text(encoding="utf-8")
    entries = [p for ref in _SCRIPT.findall(html) + _PRELOAD.findall(html) if (p := _resolve(index, ref, dist)) is not None]
    initial = static_closure(entries, dist)
    initial_size = sum(gzipped(p) for p in initial)
    chunks = sorted(p.resolve() for p in (dist / "assets").glob("*.js") if p.resolve() not in initial)

    rows = [[p.name, kb(p.stat().st_size), kb(gzipped(p)), "", "initial"] for p in sorted(initial)]
    rows.append(["= initial total", "", kb(initial_size), "", "OVER" if initial_size > INITIAL_BUDGET else ""])
    over: list[str] = []
    for chunk in chunks:
        size = gzipped(chunk)
        navigation = sum(gzipped(p) for p in static_closure([chunk], dist) - initial)
        flag = "OVER" if size > CHUNK_BUDGET else ""
        if flag:
            over.append(f"{chunk.name} {kb(size)}")
        rows.append([chunk.name, kb(chunk.stat().st_size), kb(gzipped(chunk)), kb(navigation), flag])
    largest = max((gzipped(c) for c in chunks), default=0)
    lines = [
        heading("3. Frontend"),
        "gzip -9 of each file in frontend/dist/assets (KB = 1,000 bytes). Budget: initial <= 60 KB, each chunk <= 30 KB.",
        "'on navigation' = the chunk plus its static imports not already in the initial load.",
        f"build: {index.relative_to(root)} of {_mtime(index)}",
        "",
        table(["file", "raw", "gzip", "on navigation", "note"], rows, right=(1, 2, 3)),
    ]
    verdicts = [
        Verdict("frontend: initial JavaScript <= 60 KB gzipped", initial_size <= INITIAL_BUDGET, kb(initial_size)),
        Verdict(
            "frontend: each lazily loaded chunk <= 30 KB gzipped",
            not over,
            ", ".join(over) if over else f"largest {kb(largest)} of {len(chunks)} chunks",
        ),
    ]
    return "\n".join(lines), verdicts


def _mtime(path: Path) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
