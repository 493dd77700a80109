"""Build the Lambda layer with the libraries signed PDFs use: fpdf2, fontTools, uharfbuzz, Pillow (requirements-pdf.txt).

    python -m scripts.build_pdf_layer [--output build/pdf-layer]

Installs the pinned Linux wheels for Lambda's runtime (manylinux2014, CPython 3.11, x86_64) into ``OUTPUT/python``
and zips that tree into ``OUTPUT.zip``; Lambda extracts a layer into /opt and puts /opt/python on ``sys.path``, so
``chalicelib/adapters/pdf.py`` imports them as if they were packaged. They are kept out of the function's package,
which would otherwise pass its 40 MB budget. The zip is reproducible (sorted entries, fixed timestamps, no bytecode).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements-pdf.txt"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Lambda's python3.11 runtime: Amazon Linux 2 (glibc 2.26), x86_64 — the architecture the template declares.
PLATFORM = ["--platform", "manylinux2014_x86_64", "--implementation", "cp", "--python-version", "3.11", "--only-binary=:all:"]


def install(target: Path) -> None:
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--target", str(target), *PLATFORM]
    subprocess.run([*command, "-r", str(REQUIREMENTS)], check=True)


def build(output: Path) -> Path:
    if output.exists():
        shutil.rmtree(output)
    install(output / "python")
    for cache in list(output.rglob("__pycache__")):
        shutil.rmtree(cache)
    archive = output.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as layer:
        for path in sorted(p for p in output.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(path.relative_to(output).as_posix(), ZIP_TIME)
            entry.external_attr = (0o755 if path.stat().st_mode & 0o111 else 0o644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            layer.writestr(entry, path.read_bytes(), compresslevel=9)
    return archive


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.build_pdf_layer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "pdf-layer", help="layer folder; the zip is OUTPUT.zip")
    args = parser.parse_args(argv)
    archive = build(args.output.resolve())
    unpacked = sum(p.stat().st_size for p in args.output.rglob("*") if p.is_file())
    print(f"PDF layer: {archive} {archive.stat().st_size / 1e6:.2f} MB zipped, {unpacked / 1e6:.2f} MB unpacked (into /opt/python)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
