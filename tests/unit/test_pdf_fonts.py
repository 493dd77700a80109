from __future__ import annotations

import subprocess
import sys

import pytest

from chalicelib.adapters.pdf import (
    ARABIC,
    CJK_JP,
    CJK_KR,
    CJK_SC,
    HEBREW,
    faces_for,
    han_face_for,
    is_right_to_left,
    layer_font_files,
    needs_shaping,
    scripts_in,
)


@pytest.mark.parametrize(
    ("text", "scripts"),
    [
        ("Jordan A. Lee", set()),
        ("Nguyễn Thị Minh, Καλημέρα, Здравствуйте", set()),  # Noto Sans covers these itself
        ("مرحبا", {"arabic"}),
        ("שלום", {"hebrew"}),
        ("陈小明", {"han"}),
        ("東京都に住んでいます", {"han", "kana"}),
        ("안녕하세요", {"hangul"}),
        ("Ｔｏｋｙｏ。", {"han"}),  # full-width forms and CJK punctuation
    ],
)
def test_scripts_that_need_another_font_are_recognised(text: str, scripts: set[str]) -> None:
    assert scripts_in(text) == scripts


def test_each_paragraph_gets_the_faces_of_its_scripts() -> None:
    assert faces_for(scripts_in("Jo Lee")) == []
    assert faces_for(scripts_in("مرحبا שלום")) == [ARABIC, HEBREW]
    assert faces_for(scripts_in("東京都に住んでいます")) == [CJK_JP]
    assert faces_for(scripts_in("김민준 金敏俊")) == [CJK_KR]
    # Han characters alone follow the document: Japanese if it has kana, Korean if it has Hangul, else Chinese
    assert faces_for(scripts_in("山田太郎"), han_face_for(scripts_in("やまだ 山田"))) == [CJK_JP]
    assert faces_for(scripts_in("金敏俊"), han_face_for(scripts_in("김민준"))) == [CJK_KR]
    assert faces_for(scripts_in("陈小明"), han_face_for(scripts_in("陈小明 Nguyễn"))) == [CJK_SC]


def test_paragraph_direction_and_shaping() -> None:
    assert is_right_to_left("مرحبا Jo") and is_right_to_left("123 שלום")
    assert not is_right_to_left("Jo مرحبا") and not is_right_to_left("陈小明")
    assert needs_shaping("مرحبا", scripts_in("مرحبا"))
    assert needs_shaping("Nguye\u0302\u0303n", frozenset())  # combining marks left after NFC
    assert not needs_shaping("Nguyễn 陈小明", scripts_in("陈小明"))


def test_the_font_layer_holds_the_debian_fonts_the_app_reads() -> None:
    assert layer_font_files() == {
        "NotoSansArabic-Regular.ttf": "fonts-noto-core",
        "NotoSansArabic-Bold.ttf": "fonts-noto-core",
        "NotoSansHebrew-Regular.ttf": "fonts-noto-core",
        "NotoSansHebrew-Bold.ttf": "fonts-noto-core",
        "NotoSansCJK-Regular.ttc": "fonts-noto-cjk",
        "NotoSansCJK-Bold.ttc": "fonts-noto-cjk",
    }


def test_importing_the_pdf_service_loads_no_pdf_library() -> None:
    # fpdf2 and its dependencies load when a PDF is rendered, not when paperwork imports the service.
    heavy = ("fpdf", "PIL", "fontTools", "uharfbuzz")
    code = f"import sys, app, chalicelib.services.signed_pdf; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_fonts_are_read_from_the_layer_on_lambda_and_from_debian_locally() -> None:
    from chalicelib.config import settings_from_env

    assert settings_from_env({}).font_dir == "/usr/share/fonts"
    assert settings_from_env({"AWS_LAMBDA_FUNCTION_NAME": "portal-prod"}).font_dir == "/opt/fonts"
    assert settings_from_env({"AWS_LAMBDA_FUNCTION_NAME": "portal-prod", "PORTAL_FONT_DIR": "/mnt/fonts"}).font_dir == "/mnt/fonts"
