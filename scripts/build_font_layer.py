"""Build the Lambda layer with the fonts signed PDFs read from /opt/fonts: Noto Sans Arabic, Hebrew and CJK.

    python -m scripts.build_font_layer [--output build/font-layer]

Copies the files from Debian's packages (installed first by ``scripts.install_fonts`` if missing) into
``OUTPUT/fonts/`` with their licences, then zips that tree into ``OUTPUT.zip``. Lambda extracts a layer into /opt,
so the fonts land in /opt/fonts, where ``PORTAL_FONT_DIR`` points on Lambda by default. The zip is reproducible
(sorted entries, fixed timestamps): rebuilding from the same packages gives the same bytes, so an unchanged layer
is not published again. Noto Sans (Latin, Greek, Cyrillic) is not in the layer: it ships in the function package.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import zipfile
from pathlib import Path

from chalicelib.adapters.pdf import find_font_file, layer_font_files
from chalicelib.config import get_settings
from scripts import install_fonts

ROOT = Path(__file__).resolve().parent.parent
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def build(output: Path, source: str) -> Path:
    fonts = output / "fonts"
    if output.exists():
        shutil.rmtree(output)
    (fonts / "licenses").mkdir(parents=True)
    for name, package in sorted(layer_font_files().items()):
        path = find_font_file(name, source)
        if path is None:
            raise SystemExit(f"{name} not found under {source}: run `make fonts`")
        shutil.copyfile(path, fonts / name)
        shutil.copyfile(Path("/usr/share/doc") / package / "copyright", fonts / "licenses" / f"{package}.copyright")
    archive = output.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as layer:
        for path in sorted(p for p in output.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(path.relative_to(output).as_posix(), ZIP_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            layer.writestr(entry, path.read_bytes(), compresslevel=9)
    return archive


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.build_font_layer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "font-layer", help="layer folder; the zip is OUTPUT.zip")
    args = parser.parse_args(argv)
    if install_fonts.main() != 0:
        return 1
    archive = build(args.output.resolve(), get_settings().font_dir)
    unpacked = sum(p.stat().st_size for p in args.output.rglob("*") if p.is_file())
    print(f"font layer: {archive} {archive.stat().st_size / 1e6:.2f} MB zipped, {unpacked / 1e6:.2f} MB unpacked (into /opt/fonts)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
