"""Deployment size: the zip that ``chalice package`` builds (Linux wheels of requirements.txt + app + chalicelib),
and the layers: the font layer ``scripts/build_font_layer.py`` builds (the Arabic, Hebrew and CJK fonts of signed PDFs)
and the PDF layer ``scripts/build_pdf_layer.py`` builds (the PDF libraries, kept out of the function's package).

Runs on a copy of the project in a temporary directory, so nothing is written to the repository but chalice's cache
of built dependencies, kept in .local/ (ignored by git) for the next run. If .chalice/config.json is missing, the copy
gets a minimal one; it does not change what goes into the zip. If ``chalice package`` fails or times out, the size is
estimated instead by ``pip install --target`` of Linux wheels and zipping that with app.py and chalicelib/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

from bench.report import Verdict, heading, mb, table

BUDGET = 40_000_000  # DESIGN.md: the function zip; Lambda's own limit is 50 MB
LAMBDA_UNPACKED_LIMIT = 250_000_000  # function code and all its layers, unpacked
TIMEOUT_SECONDS = 600
# chalice keeps the Linux wheels it built under .chalice/deployments, keyed by requirements.txt: kept here between
# runs, so a run after an unchanged requirements.txt packages in seconds (the zip is the same; delete it to rebuild).
DEPENDENCY_CACHE = Path(".local/bench-chalice-deployments")
MINIMAL_CONFIG = {"version": "2.0", "app_name": "client-portal", "stages": {"dev": {"api_gateway_stage": "api"}}}


def _copy_project(root: Path, target: Path) -> list[str]:
    notes: list[str] = []
    shutil.copy2(root / "app.py", target / "app.py")
    shutil.copy2(root / "requirements.txt", target / "requirements.txt")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(root / "chalicelib", target / "chalicelib", ignore=ignore)
    if (root / "vendor").is_dir():
        shutil.copytree(root / "vendor", target / "vendor", ignore=ignore)
    chalice_dir = target / ".chalice"
    chalice_dir.mkdir()
    for source in (root / ".chalice").glob("*.json"):
        shutil.copy2(source, chalice_dir / source.name)
    cache = root / DEPENDENCY_CACHE
    if cache.is_dir():
        shutil.copytree(cache, chalice_dir / "deployments")
    if not (chalice_dir / "config.json").is_file():
        (chalice_dir / "config.json").write_text(json.dumps(MINIMAL_CONFIG))
        notes.append(".chalice/config.json is missing in the repository: packaged with a minimal one")
    return notes


def _keep_dependency_cache(project: Path, root: Path) -> None:
    built = project / ".chalice" / "deployments"
    if built.is_dir():
        shutil.rmtree(root / DEPENDENCY_CACHE, ignore_errors=True)
        shutil.copytree(built, root / DEPENDENCY_CACHE)


def _chalice_package(project: Path, output: Path) -> Path:
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    chalice = Path(sys.executable).with_name("chalice")
    result = subprocess.run(
        [str(chalice), "package", "--pkg-format", "cloudformation", str(output)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    zip_path = output / "deployment.zip"
    if result.returncode != 0 or not zip_path.is_file():
        raise RuntimeError(f"chalice package exited {result.returncode}: {(result.stderr or result.stdout).strip()[-1500:]}")
    return zip_path


def _pip_estimate(project: Path, output: Path) -> Path:
    site = output / "site"
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--target", str(site),
               "--platform", "manylinux2014_x86_64", "--implementation", "cp", "--python-version", "3.11",
               "--only-binary=:all:", "-r", str(project / "requirements.txt")]  # fmt: skip
    subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=True)
    zip_path = output / "estimate.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for base in (site, project):
            for path in sorted(base.rglob("*")):
                relative = path.relative_to(base)
                if path.is_file() and relative.parts[0] not in {".chalice", "site", "requirements.txt", "bin"}:
                    archive.write(path, relative.as_posix())
    return zip_path


def _largest(zip_path: Path, count: int = 8) -> list[list[str]]:
    by_top: Counter[str] = Counter()
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            by_top[info.filename.split("/", 1)[0]] += info.compress_size
    return [[name, mb(size)] for name, size in by_top.most_common(count)]


def measure(root: Path) -> tuple[str, list[Verdict]]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-package-") as scratch:
        project, output = Path(scratch) / "project", Path(scratch) / "out"
        project.mkdir()
        notes = _copy_project(root, project)
        try:
            zip_path = _chalice_package(project, output)
            method = "chalice package --pkg-format cloudformation"
            _keep_dependency_cache(project, root)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as error:
            notes.append(f"chalice package failed, so the size is an estimate: {error}")
            try:
                zip_path = _pip_estimate(project, output)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as pip_error:
                text = f"{heading('4. Package size')}\nnot measured: {'; '.join(notes)}; pip estimate failed too: {pip_error}"
                return text, [Verdict("package: zip <= 40 MB", None, "both methods failed")]
            method = "estimate: pip install --target (manylinux2014 cp311 wheels) + app.py + chalicelib/, deflate-zipped"
        size = zip_path.stat().st_size
        with zipfile.ZipFile(zip_path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        largest = _largest(zip_path)
    elapsed = time.perf_counter() - started
    lines = [
        heading("4. Package size"),
        f"method: {method} ({elapsed:.0f} s, on a temporary copy of the project)",
        *(f"note: {note}" for note in notes),
        f"zip: {mb(size)} (budget 40 MB); unpacked {mb(unpacked)}",
        "",
        "largest top-level entries (compressed):",
        table(["entry", "size"], largest, right=(1,)),
        "",
        _layers(unpacked),
    ]
    return "\n".join(lines), [Verdict("package: chalice package zip <= 40 MB", size <= BUDGET, mb(size))]


def _layers(function_unpacked: int) -> str:
    """The font layer and the PDF layer, built as ``make font-layer`` and ``make pdf-layer`` build them."""
    from chalicelib.config import get_settings
    from scripts import build_font_layer, build_pdf_layer

    builders = {
        "font layer (scripts/build_font_layer.py, mounted at /opt/fonts)": lambda out: build_font_layer.build(out, get_settings().font_dir),
        "PDF layer (scripts/build_pdf_layer.py, mounted at /opt/python)": build_pdf_layer.build,
    }
    lines, total = [], function_unpacked
    for name, build in builders.items():
        with tempfile.TemporaryDirectory(prefix="bench-layer-") as scratch:
            try:
                archive = build(Path(scratch) / "layer")
            except (SystemExit, subprocess.CalledProcessError) as error:
                lines.append(f"{name}: not measured ({error})")
                continue
            zipped = archive.stat().st_size
            unpacked = sum(path.stat().st_size for path in (Path(scratch) / "layer").rglob("*") if path.is_file())
        total += unpacked
        lines.append(f"{name}: {mb(zipped)} zipped, {mb(unpacked)} unpacked")
    lines.append(f"function + layers unpacked: {mb(total)} (Lambda's limit is {mb(LAMBDA_UNPACKED_LIMIT)})")
    return "\n".join(lines)
