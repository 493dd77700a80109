"""Documents as PDF/A-2b with embedded, subset Unicode fonts, laid out by fpdf2.

A ``PdfDocument`` collects blocks (paragraphs, label/value columns, rules, an image, page breaks) and lays them out
only in ``render()``. By then every text is known, so only the fonts its scripts need are opened: a form written in
Latin letters never touches the 20 MB CJK collections. fpdf2 (with fontTools, Pillow and uharfbuzz) is imported
there too, never when this module is imported.

Fonts are picked per paragraph from the scripts in it; fpdf2's fallback fonts then switch font per character:

- Noto Sans: Latin (Vietnamese included), Greek, Cyrillic. Bundled in ``chalicelib/fonts`` (OFL, 1 MB), so the
  common case needs nothing outside the function package.
- Noto Sans Arabic and Noto Sans Hebrew: right to left, shaped by HarfBuzz; such paragraphs are right-aligned.
- Noto Sans CJK, one collection with a face per region: the Japanese face for a paragraph with kana, the Korean one
  for Hangul; Han characters alone take the Japanese face if the document has kana elsewhere, the Korean one if it
  has Hangul, else Simplified Chinese.

All but Noto Sans are read from ``settings.font_dir`` (the font layer on Lambda, Debian's packages locally; see
``scripts/install_fonts.py`` and ``scripts/build_font_layer.py``). A missing file is logged (its name only) and that
script's characters are left without a glyph: signing never fails for want of a font.

Deterministic: the same blocks give the same bytes. The creation date is the caller's, the XMP metadata is written
here (fpdf2's own stamps the current time), and fpdf2 derives subset tags and the file id from the content.
"""

from __future__ import annotations

import bisect
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from html import escape
from pathlib import Path

from chalicelib.config import get_settings

BUNDLED_FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
PAGE_FORMAT = "letter"  # 612 x 792 pt
MARGIN = 54.0
LINE_GAP = 1.35
INK = (33, 37, 41)
MUTED = (96, 102, 112)
RULE = (190, 194, 200)
PRODUCER = "Client Portal (fpdf2)"
# Stands for the page count in footers until the document is closed. fpdf2 replaces the alias in any text, so it is
# two private-use characters, which no font here can show anyway.
PAGE_COUNT_ALIAS = "\ue000\ue001"


@dataclass(frozen=True)
class FontFace:
    """One family in regular and bold; ``index`` is the face within a font collection (.ttc)."""

    family: str
    regular: str
    bold: str
    index: int = 0
    package: str | None = None  # the Debian package that installs the files; None when bundled

    def file(self, bold: bool) -> str:
        return self.bold if bold else self.regular


LATIN = FontFace("noto-sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
ARABIC = FontFace("noto-sans-arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", package="fonts-noto-core")
HEBREW = FontFace("noto-sans-hebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", package="fonts-noto-core")
# NotoSansCJK-*.ttc hold the faces JP (0), KR (1), SC (2), TC (3), HK (4): same characters, regional glyph forms.
CJK_JP = FontFace("noto-sans-cjk-jp", "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 0, "fonts-noto-cjk")
CJK_KR = FontFace("noto-sans-cjk-kr", "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 1, "fonts-noto-cjk")
CJK_SC = FontFace("noto-sans-cjk-sc", "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 2, "fonts-noto-cjk")
FACES = (LATIN, ARABIC, HEBREW, CJK_JP, CJK_KR, CJK_SC)


def layer_font_files() -> dict[str, str]:
    """File name -> Debian package, for every font read from ``settings.font_dir`` (what the font layer holds)."""
    return {face.file(bold): face.package for face in FACES if face.package for bold in (False, True)}


# ------------------------------------------------------------------------------------------------ scripts

# (first, last, script) for the scripts that need a font other than Noto Sans, sorted by first code point.
_RANGES = (
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x0870, 0x08FF, "arabic"),
    (0x1100, 0x11FF, "hangul"),
    (0x2E80, 0x2FFF, "han"),
    (0x3000, 0x303F, "han"),  # CJK punctuation
    (0x3040, 0x30FF, "kana"),
    (0x3130, 0x318F, "hangul"),
    (0x3190, 0x31EF, "han"),
    (0x31F0, 0x31FF, "kana"),
    (0x3200, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xA960, 0xA97F, "hangul"),
    (0xAC00, 0xD7FF, "hangul"),
    (0xF900, 0xFAFF, "han"),
    (0xFB1D, 0xFB4F, "hebrew"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE30, 0xFE4F, "han"),
    (0xFE70, 0xFEFF, "arabic"),
    (0xFF00, 0xFF65, "han"),  # full-width forms
    (0xFF66, 0xFF9F, "kana"),
    (0xFFA0, 0xFFDF, "hangul"),
    (0x20000, 0x3FFFF, "han"),
)
_STARTS = [first for first, _, _ in _RANGES]
CJK = frozenset({"han", "kana", "hangul"})


def scripts_in(text: str) -> frozenset[str]:
    """The scripts in ``text`` that need a font other than Noto Sans."""
    if text.isascii():
        return frozenset()
    found: set[str] = set()
    for char in text:
        code = ord(char)
        if code < 0x0590:
            continue
        i = bisect.bisect_right(_STARTS, code) - 1
        if i >= 0 and code <= _RANGES[i][1]:
            found.add(_RANGES[i][2])
    return frozenset(found)


def faces_for(scripts: frozenset[str], han_face: FontFace = CJK_SC) -> list[FontFace]:
    """The fallback faces a paragraph with these scripts needs, besides Noto Sans."""
    faces = []
    if "arabic" in scripts:
        faces.append(ARABIC)
    if "hebrew" in scripts:
        faces.append(HEBREW)
    if "kana" in scripts:
        faces.append(CJK_JP)
    elif "hangul" in scripts:
        faces.append(CJK_KR)
    elif "han" in scripts:
        faces.append(han_face)
    return faces


def han_face_for(document_scripts: frozenset[str]) -> FontFace:
    """Han characters alone cannot tell Chinese from Japanese or Korean: the rest of the document decides."""
    if "kana" in document_scripts:
        return CJK_JP
    if "hangul" in document_scripts:
        return CJK_KR
    return CJK_SC


def needs_shaping(text: str, scripts: frozenset[str]) -> bool:
    """HarfBuzz shaping (Arabic joining, right-to-left runs, combining marks) doubles the layout time, so it is used
    only for the paragraphs that need it."""
    return bool(scripts & {"arabic", "hebrew"}) or (not text.isascii() and any(unicodedata.combining(char) for char in text))


def is_right_to_left(text: str) -> bool:
    """The paragraph direction of Unicode's bidi algorithm (rules P2-P3): that of its first strong character."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


# ------------------------------------------------------------------------------------------------ blocks


@dataclass(frozen=True)
class _Paragraph:
    text: str
    size: float
    bold: bool
    gap_before: float
    indent: float
    muted: bool
    keep_with_next: bool


@dataclass(frozen=True)
class _Columns:
    cells: tuple[tuple[str, str], ...]  # (label, value)
    gap_before: float


@dataclass(frozen=True)
class _Rule:
    gap_before: float


@dataclass(frozen=True)
class _Image:
    data: bytes
    height: float


@dataclass(frozen=True)
class _PageBreak:
    pass


_Block = _Paragraph | _Columns | _Rule | _Image | _PageBreak
_LABEL_SIZE, _VALUE_SIZE, _FOOTER_SIZE = 8.5, 11.0, 8.0


class PdfDocument:
    """Blocks top to bottom on US Letter pages, each page footed with the title and "Page n of m"."""

    def __init__(self, title: str, *, created: datetime) -> None:
        self.title = _normalized(title)
        self.created = created
        self._blocks: list[_Block] = []

    def text(
        self,
        text: str,
        *,
        size: float = 10.0,
        bold: bool = False,
        gap_before: float = 0.0,
        indent: float = 0.0,
        muted: bool = False,
        keep_with_next: bool = False,
    ) -> None:
        """A paragraph, wrapped to the page width; ``keep_with_next`` moves it to a new page rather than leave it
        alone at the bottom of one (a question without its answer)."""
        self._blocks.append(_Paragraph(_normalized(text), size, bold, gap_before, indent, muted, keep_with_next))

    def columns(self, cells: list[tuple[str, str]], *, gap_before: float = 0.0) -> None:
        """Labelled values side by side, in equal columns."""
        self._blocks.append(_Columns(tuple((_normalized(label), _normalized(value)) for label, value in cells), gap_before))

    def rule(self, *, gap_before: float = 6.0) -> None:
        self._blocks.append(_Rule(gap_before))

    def image(self, data: bytes, *, height: float) -> None:
        """A PNG or JPEG at the given height (at most 240 pt wide). One that cannot be read is left out."""
        self._blocks.append(_Image(data, height))

    def page_break(self) -> None:
        self._blocks.append(_PageBreak())

    def texts(self) -> list[tuple[str, bool]]:
        """Every text of the document with its weight: what decides which fonts are loaded."""
        found: list[tuple[str, bool]] = [(self.title, False)]
        for block in self._blocks:
            if isinstance(block, _Paragraph):
                found.append((block.text, block.bold))
            elif isinstance(block, _Columns):
                found += [(label, False) for label, _ in block.cells] + [(value, False) for _, value in block.cells]
        return found

    def render(self) -> bytes:
        _quiet_font_logs()
        layout = _Layout(self)
        for block in self._blocks:
            layout.draw(block)
        return bytes(layout.pdf.output())


# ------------------------------------------------------------------------------------------------ layout


class _Layout:
    """One rendering: the fpdf2 document with the fonts this document needs registered."""

    def __init__(self, document: PdfDocument) -> None:
        from fpdf import FPDF

        title = document.title

        class _Pdf(FPDF):
            def footer(self) -> None:
                layout.footer(title)

        layout = self
        texts = document.texts()
        self.han_face = han_face_for(frozenset().union(*(scripts_in(text) for text, _ in texts)))
        self.pdf = pdf = _Pdf(orientation="portrait", unit="pt", format=PAGE_FORMAT, enforce_compliance="PDF/A-2B")
        pdf.set_creation_date(document.created)
        pdf.set_title(title)
        pdf.set_producer(PRODUCER)
        pdf.set_xmp_metadata(_xmp(title, document.created))
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=MARGIN)
        pdf.alias_nb_pages(PAGE_COUNT_ALIAS)
        self.loaded = self._add_fonts(texts)
        self.fallbacks: list[str] = []
        self.shaping = False
        pdf.add_page()

    def _add_fonts(self, texts: list[tuple[str, bool]]) -> set[tuple[str, bool]]:
        needed = {(LATIN, False), (LATIN, True)}
        for text, bold in texts:
            needed.update((face, bold) for face in faces_for(scripts_in(text), self.han_face))
        loaded = set()
        for face, bold in sorted(needed, key=lambda item: (FACES.index(item[0]), item[1])):
            path = find_font_file(face.file(bold), get_settings().font_dir if face.package else str(BUNDLED_FONT_DIR))
            if path is None:
                _log_warning("pdf.font_missing", font=face.file(bold), font_dir=get_settings().font_dir)
                continue
            self.pdf.add_font(face.family, "B" if bold else "", str(path), collection_font_number=face.index)
            loaded.add((face.family, bold))
        return loaded

    def _use_font(self, text: str, *, size: float, bold: bool, color: tuple[int, int, int]) -> None:
        scripts = scripts_in(text)
        self._set_fallbacks(
            [face.family for face in faces_for(scripts, self.han_face) if (face.family, bold) in self.loaded], needs_shaping(text, scripts)
        )
        self.pdf.set_font(LATIN.family, "B" if bold else "", size)
        self.pdf.set_text_color(*color)

    def _set_fallbacks(self, families: list[str], shaping: bool) -> None:
        self.fallbacks, self.shaping = families, shaping
        self.pdf.set_fallback_fonts(families, exact_match=True)
        self.pdf.set_text_shaping(shaping)

    def _write(self, text: str, *, x: float, width: float, size: float) -> None:
        from fpdf.enums import WrapMode

        self.pdf.set_x(x)
        # CJK text has no spaces to break at: break between any two characters.
        wrap = WrapMode.CHAR if scripts_in(text) & CJK else WrapMode.WORD
        align = "R" if is_right_to_left(text) else "L"
        self.pdf.multi_cell(width, size * LINE_GAP, text, align=align, new_x="LMARGIN", new_y="NEXT", wrapmode=wrap)

    def draw(self, block: _Block) -> None:
        pdf = self.pdf
        if isinstance(block, _PageBreak):
            pdf.add_page()
        elif isinstance(block, _Rule):
            pdf.set_y(pdf.get_y() + block.gap_before)
            pdf.set_draw_color(*RULE)
            pdf.set_line_width(0.75)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
            pdf.set_y(pdf.get_y() + 2)
        elif isinstance(block, _Image):
            self._image(block)
        elif isinstance(block, _Columns):
            self._columns(block)
        else:
            self._paragraph(block)

    def _paragraph(self, block: _Paragraph) -> None:
        pdf = self.pdf
        line = block.size * LINE_GAP
        pdf.set_y(pdf.get_y() + block.gap_before)
        if block.keep_with_next and pdf.will_page_break(3 * line):
            pdf.add_page()
        self._use_font(block.text, size=block.size, bold=block.bold, color=MUTED if block.muted else INK)
        self._write(block.text, x=pdf.l_margin + block.indent, width=pdf.epw - block.indent, size=block.size)

    def _columns(self, block: _Columns) -> None:
        pdf = self.pdf
        pdf.set_y(pdf.get_y() + block.gap_before)
        if pdf.will_page_break((_LABEL_SIZE + 2 * _VALUE_SIZE) * LINE_GAP):
            pdf.add_page()
        top, bottom = pdf.get_y(), pdf.get_y()
        width = pdf.epw / max(1, len(block.cells))
        for i, (label, value) in enumerate(block.cells):
            x = pdf.l_margin + i * width
            pdf.set_y(top)
            self._use_font(label, size=_LABEL_SIZE, bold=False, color=MUTED)
            self._write(label, x=x, width=width - 12, size=_LABEL_SIZE)
            self._use_font(value, size=_VALUE_SIZE, bold=False, color=INK)
            self._write(value, x=x, width=width - 12, size=_VALUE_SIZE)
            bottom = max(bottom, pdf.get_y())
        pdf.set_y(bottom)

    def _image(self, block: _Image) -> None:
        pdf = self.pdf
        try:
            pdf.image(io.BytesIO(block.data), x=pdf.l_margin, w=240, h=block.height, keep_aspect_ratio=True)
        except Exception as error:  # Pillow and fpdf2 raise many kinds; a bad logo must not stop a signing
            _log_warning("pdf.image_unreadable", error=type(error).__name__)
            return
        pdf.set_y(pdf.get_y() + 4)

    def footer(self, title: str) -> None:
        """Drawn by fpdf2 as each page closes, possibly in the middle of a paragraph: fpdf2 restores the font and
        colours afterwards, this restores the paragraph's fallback fonts."""
        pdf, paragraph_fonts = self.pdf, (self.fallbacks, self.shaping)
        pdf.set_y(pdf.h - MARGIN + 14)
        self._use_font(title, size=_FOOTER_SIZE, bold=False, color=MUTED)
        pdf.cell(pdf.epw * 0.75, _FOOTER_SIZE * LINE_GAP, title)
        self._use_font("", size=_FOOTER_SIZE, bold=False, color=MUTED)
        pdf.cell(0, _FOOTER_SIZE * LINE_GAP, f"Page {pdf.page_no()} of {PAGE_COUNT_ALIAS}", align="R")
        self._set_fallbacks(*paragraph_fonts)


_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _normalized(text: str) -> str:
    """As the text is meant to read: composed form (NFC), so a letter typed as base + combining accent gets the font's
    precomposed glyph; every line break as "\\n", tabs as spaces, other control characters (which no font draws)
    dropped."""
    text = _LINE_BREAKS.sub("\n", text).replace("\t", "    ")
    return unicodedata.normalize("NFC", _CONTROLS.sub("", text))


@lru_cache(maxsize=64)
def find_font_file(name: str, directory: str) -> Path | None:
    """``name`` in ``directory`` or below it (Debian spreads fonts over truetype/ and opentype/ subfolders)."""
    root = Path(directory)
    if (root / name).is_file():
        return root / name
    return next((path for path in sorted(root.rglob(name)) if path.is_file()), None)


def _xmp(title: str, created: datetime) -> str:
    """PDF/A identification and document metadata, dated with the document (not the clock), so output is stable."""
    stamp = created.isoformat(timespec="seconds")
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"\n'
        f'    xmp:CreateDate="{stamp}" xmp:ModifyDate="{stamp}" xmp:MetadataDate="{stamp}"\n'
        f'    xmp:CreatorTool="{escape(PRODUCER)}" pdf:Producer="{escape(PRODUCER)}">\n'
        "   <pdfaid:part>2</pdfaid:part>\n"
        "   <pdfaid:conformance>B</pdfaid:conformance>\n"
        f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>\n'
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>"
    )


@lru_cache(maxsize=1)
def _quiet_font_logs() -> None:
    """fpdf2 and fontTools quote the text (missing glyphs, glyph names) in their warnings: that is PHI here."""
    import logging

    for name in ("fpdf", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _log_warning(event: str, **keys: str) -> None:
    from chalicelib.observability import get_logger

    get_logger().warning(event, extra=keys)
