"""A small, dependency-free PDF writer for signed documents: text pages in the standard Helvetica fonts.

Why not a PDF library: fpdf2 brings Pillow and fontTools (about 14 MB zipped), which would push the Lambda package
past its 25 MB budget, and signed documents need only text. The output is deterministic — the same input always
gives the same bytes — because nothing here reads a clock or a random source, and streams are compressed with a
fixed zlib level. Text outside Windows-1252 is replaced by "?" (the standard fonts cannot show it); the answers are
kept exactly in the stored response and in the content hash.
"""

from __future__ import annotations

import textwrap
import zlib
from dataclasses import dataclass, field

PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, points
MARGIN = 54
LINE_GAP = 1.35


@dataclass(frozen=True)
class Line:
    text: str
    size: float = 10.0
    bold: bool = False
    gap_before: float = 0.0


@dataclass
class Page:
    lines: list[tuple[float, float, Line]] = field(default_factory=list)  # (x, y, line)


class PdfWriter:
    """Lay out lines top to bottom, starting new pages as needed."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.pages: list[Page] = []
        self._y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Page())
        self._y = PAGE_HEIGHT - MARGIN

    def write(self, text: str, *, size: float = 10.0, bold: bool = False, gap_before: float = 0.0, indent: float = 0.0) -> None:
        """Write a paragraph, wrapped to the page width. Wrapping assumes 0.6 em per character (Helvetica averages about
        0.5; capitals and bold run wider), so lines never run off the page."""
        per_char = size * (0.64 if bold else 0.6)
        width_chars = max(20, int((PAGE_WIDTH - 2 * MARGIN - indent) / per_char))
        paragraphs = text.splitlines() or [""]
        first = True
        for paragraph in paragraphs:
            for wrapped in textwrap.wrap(paragraph, width_chars, break_long_words=True, replace_whitespace=False) or [""]:
                self._line(Line(wrapped, size, bold, gap_before if first else 0.0), indent)
                first = False

    def _line(self, line: Line, indent: float) -> None:
        height = line.size * LINE_GAP
        if self._y - line.gap_before - height < MARGIN:
            self.new_page()
        else:
            self._y -= line.gap_before
        self._y -= height
        self.pages[-1].lines.append((MARGIN + indent, self._y, line))

    def rule(self) -> None:
        self._line(Line("_" * 95, 8.0, False, 4.0), 0.0)

    def render(self) -> bytes:
        return _render(self.title, self.pages)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")  # WinAnsiEncoding is Windows-1252: curly quotes, dashes, euro
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"")


def _content(page: Page, number: int, total: int) -> bytes:
    ops = [b"BT"]
    for x, y, line in page.lines:
        font = b"/F2" if line.bold else b"/F1"
        ops.append(b"%s %s Tf 1 0 0 1 %s %s Tm (%s) Tj" % (font, _num(line.size), _num(x), _num(y), _escape(line.text)))
    footer = f"Page {number} of {total}"
    ops.append(b"/F1 8 Tf 1 0 0 1 %s %s Tm (%s) Tj" % (_num(PAGE_WIDTH - MARGIN - 60), _num(MARGIN / 2), _escape(footer)))
    ops.append(b"ET")
    return b"\n".join(ops)


def _num(value: float) -> bytes:
    return (f"{value:.2f}".rstrip("0").rstrip(".")).encode()


def _render(title: str, pages: list[Page]) -> bytes:
    """Objects: 1 catalog, 2 page tree, 3-4 fonts, 5 info, then (page, content) pairs."""
    objects: list[bytes] = []
    page_ids = [6 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Title (%s) /Producer (Client Portal) >>" % _escape(title))
    for index, page in enumerate(pages):
        stream = zlib.compress(_content(page, index + 1, len(pages)), 6)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            b"/Contents %d 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT, page_ids[index] + 1)
        )
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
