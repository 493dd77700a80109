"""Install the fonts signed PDFs read from ``PORTAL_FONT_DIR`` (Arabic, Hebrew, CJK) from Debian's packages.

``make fonts`` runs it, and every make target that renders PDFs (unit, api, e2e, run, bench) depends on it, so a
clean clone or CI machine gets them with no manual step. It does nothing when every file is already there; otherwise
it runs ``apt-get install`` (through sudo when not root) for the packages that hold the missing files, as the
Makefile does for Chromium. Noto Sans itself is bundled in chalicelib/fonts and needs nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys

from chalicelib.adapters.pdf import find_font_file, layer_font_files
from chalicelib.config import get_settings

DEBIAN_FONT_DIR = "/usr/share/fonts"


def missing_fonts(font_dir: str) -> dict[str, str]:
    """File name -> Debian package, for each font not found under ``font_dir``."""
    find_font_file.cache_clear()
    return {name: package for name, package in layer_font_files().items() if find_font_file(name, font_dir) is None}


def install(packages: list[str]) -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    install_command = [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    subprocess.run(install_command, check=True, env=env, stdout=subprocess.DEVNULL)


def main() -> int:
    font_dir = get_settings().font_dir
    missing = missing_fonts(font_dir)
    if not missing:
        print(f"fonts: all {len(layer_font_files())} PDF fonts found under {font_dir}")
        return 0
    if font_dir != DEBIAN_FONT_DIR:
        print(f"fonts: {sorted(missing)} missing under PORTAL_FONT_DIR={font_dir}; unset it to use Debian's packages", file=sys.stderr)
        return 1
    packages = sorted(set(missing.values()))
    print(f"fonts: installing Debian's {' '.join(packages)} for signed PDFs")
    install(packages)
    still_missing = missing_fonts(font_dir)
    if still_missing:
        print(f"fonts: still missing after the install: {sorted(still_missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
