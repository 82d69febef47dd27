"""Print-ready PDF certificates for issued credentials: one A4 landscape page each.

Pure: it takes `CertificateFacts` and returns PDF bytes, and never touches the ORM. Text is set in
the DejaVu fonts bundled in `fonts/` (Latin, Greek and Cyrillic; licence in `fonts/LICENSE`), and
the QR code that leads to the public verification page is drawn as vector squares.

Rendering happens in two steps. `certificate_layout` measures the text and decides where every
line, rule and QR module goes; `_paint` then draws exactly that layout. Tests inspect the layout,
because text in a compressed PDF with embedded font subsets cannot be searched.

The same facts always give the same bytes: the creation date comes from the issue date and
nothing else in the file depends on the clock.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import math
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib.resources import as_file, files
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.fonts import TTFFont

# Page geometry, in millimetres. The outer border sits at the 15 mm print margin.
PAGE_WIDTH = 297.0
PAGE_HEIGHT = 210.0
BORDER_INSET = 15.0
INNER_BORDER_INSET = 17.5
CONTENT_LEFT = 27.0
CONTENT_RIGHT = PAGE_WIDTH - 27.0
CONTENT_TOP = 26.0
CONTENT_BOTTOM = PAGE_HEIGHT - 26.0
CONTENT_WIDTH = CONTENT_RIGHT - CONTENT_LEFT
QR_SIZE = 30.0  # including the quiet zone
FOOTER_TEXT_WIDTH = CONTENT_WIDTH - QR_SIZE - 8.0

PT = 25.4 / 72  # one typographic point in millimetres
LINE_SPACING = 1.22  # line height as a multiple of the font size

RGB = tuple[int, int, int]
NAVY: RGB = (22, 43, 82)
GOLD: RGB = (150, 118, 48)
INK: RGB = (33, 33, 33)
MUTED: RGB = (92, 92, 92)
RED: RGB = (176, 24, 24)

SANS = "DejaVuSans"
SERIF = "DejaVuSerif"
_FONT_FILES = {
    (SANS, ""): "DejaVuSans.ttf",
    (SANS, "B"): "DejaVuSans-Bold.ttf",
    (SERIF, "B"): "DejaVuSerif-Bold.ttf",
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class CertificateFacts:
    """What one certificate says. Checked when built: a certificate needs a recipient and an achievement."""

    credential_id: str
    recipient_name: str
    achievement_name: str
    program_name: str
    track_name: str
    cohort_name: str
    issuer_name: str
    ceus: Decimal
    contact_hours: Decimal
    issued_on: date
    valid_until: date | None
    verification_url: str
    status_note: str = ""

    def __post_init__(self) -> None:
        if not self.recipient_name.strip():
            raise ValueError("A certificate needs the recipient's name; recipient_name is empty.")
        if not self.achievement_name.strip():
            raise ValueError("A certificate needs the achievement's name; achievement_name is empty.")
        if not self.verification_url.startswith(("https://", "http://")):
            raise ValueError(
                f"verification_url must be an absolute http(s) URL, not {self.verification_url!r}."
            )
        if self.valid_until is not None and self.valid_until < self.issued_on:
            raise ValueError("valid_until is earlier than issued_on.")


@dataclass(frozen=True)
class TextStyle:
    family: str
    emphasis: str  # "" or "B"
    size_pt: float
    color: RGB
    char_spacing: float = 0.0  # extra space after each character, in mm

    @property
    def line_height(self) -> float:
        return self.size_pt * PT * LINE_SPACING


@dataclass(frozen=True)
class TextLine:
    """One line of text: its box in mm from the page's top left, exactly as wide as the text."""

    text: str
    x: float
    y: float
    width: float
    height: float
    style: TextStyle
    angle: float = 0.0  # degrees, anticlockwise about the box's centre
    opacity: float = 1.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: RGB
    line_width: float = 0.0  # 0 fills the rectangle; otherwise only its outline is drawn


@dataclass(frozen=True)
class QrPlacement:
    x: float
    y: float
    module: float  # the side of one module, in mm
    rects: tuple[tuple[int, int, int, int], ...]  # (column, row, width, height) in modules, all dark


@dataclass(frozen=True)
class CertificateLayout:
    texts: tuple[TextLine, ...]
    rects: tuple[Rect, ...]
    qr: QrPlacement


def render_certificate(facts: CertificateFacts) -> bytes:
    """One certificate as a one-page A4 landscape PDF."""
    return render_certificates([facts])


def render_certificates(facts: Sequence[CertificateFacts]) -> bytes:
    """One PDF with a page per certificate, in the given order (e.g. a whole cohort for the ceremony)."""
    if not facts:
        raise ValueError("There are no certificates to render.")
    with _document() as pdf:
        # Lay every page out before adding any: measuring text on a started page would write font
        # changes into that page's content.
        measure = _Measure(pdf)
        layouts = [_layout(measure, one) for one in facts]
        _set_metadata(pdf, facts)
        for one, layout in zip(facts, layouts, strict=True):
            pdf.add_page()
            pdf.start_section(_page_title(one))  # the outline lists recipients, to find a page in a batch
            _paint(pdf, layout)
        return bytes(pdf.output())


def certificate_layout(facts: CertificateFacts) -> CertificateLayout:
    """Where everything on the certificate goes, without drawing it (for tests and previews)."""
    with _document() as pdf:
        return _layout(_Measure(pdf), facts)


def qr_squares(url: str) -> list[tuple[int, int]]:
    """The dark modules of the URL's QR code as (column, row), counted from the quiet zone's top left."""
    return _dark_modules(_qr_code(url))


def _qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)  # a Micro QR code is not read by every phone


def _dark_modules(qr: segno.QRCode) -> list[tuple[int, int]]:
    return [
        (column, row)
        for row, modules in enumerate(qr.matrix_iter(border=qr.default_border_size))
        for column, is_dark in enumerate(modules)
        if is_dark
    ]


def format_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_ceus(ceus: Decimal) -> str:
    """CEUs come in tenths, so at least one decimal: 24 -> "24.0 CEUs", 2.25 -> "2.25 CEUs"."""
    unit = "CEU" if ceus == 1 else "CEUs"
    return f"{ceus:,.{max(1, _decimal_places(ceus))}f} {unit}"


def format_contact_hours(hours: Decimal) -> str:
    """Whole hours without decimals: 240.0 -> "240 contact hours", 240.5 -> "240.5 contact hours"."""
    unit = "contact hour" if hours == 1 else "contact hours"
    return f"{hours:,.{_decimal_places(hours)}f} {unit}"


def _decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# Fonts -------------------------------------------------------------------------------------------

_RESOURCES = contextlib.ExitStack()
atexit.register(_RESOURCES.close)


@functools.cache
def _font_path(filename: str) -> Path:
    """The bundled font as a file: fpdf2 reads fonts from paths. From a zipped install, `as_file`
    extracts it once for the life of the process; from a normal install it is the file itself."""
    return _RESOURCES.enter_context(as_file(files("cecto.credentials") / "fonts" / filename))


@contextlib.contextmanager
def _document() -> Iterator[FPDF]:
    """An empty A4 landscape document with the fonts loaded; their files are closed at the end.

    fpdf2 parses each font per document (about 25 ms each) and cannot share a parsed font between
    documents, because it subsets the font in place when it writes the file. A batch is one
    document, so it pays for the fonts once.
    """
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    try:
        pdf.set_margins(0, 0, 0)
        pdf.c_margin = 0
        pdf.set_auto_page_break(False)
        for (family, emphasis), filename in _FONT_FILES.items():
            pdf.add_font(family, emphasis, _font_path(filename))
        pdf.set_fallback_fonts([SANS])  # DejaVu Serif has fewer glyphs than DejaVu Sans
        yield pdf
    finally:
        # fpdf2 closes only the fonts a written file used; a document only measured used none.
        for font in pdf.fonts.values():
            if isinstance(font, TTFFont):
                font.close()


def _set_metadata(pdf: FPDF, facts: Sequence[CertificateFacts]) -> None:
    first = facts[0]
    if len(facts) == 1:
        title = _page_title(first)
    elif all(one.achievement_name == first.achievement_name for one in facts):
        title = f"{first.achievement_name} — {len(facts)} certificates"
    else:
        title = f"{len(facts)} certificates"
    pdf.set_title(title)
    pdf.set_author("; ".join(dict.fromkeys(one.issuer_name for one in facts)))
    pdf.set_subject("; ".join(dict.fromkeys(one.program_name for one in facts)))
    pdf.set_creator("cecto")
    pdf.set_lang("en")
    latest = max(one.issued_on for one in facts)
    pdf.set_creation_date(datetime(latest.year, latest.month, latest.day, tzinfo=UTC))


def _page_title(facts: CertificateFacts) -> str:
    return _clean(f"{facts.achievement_name} — {facts.recipient_name}")


# Layout ------------------------------------------------------------------------------------------


class _Measure:
    """Text widths from the document's fonts. Only used before the first page is added."""

    def __init__(self, pdf: FPDF) -> None:
        self._pdf = pdf
        self._widths: dict[tuple[str, TextStyle], float] = {}  # a batch repeats most of its text

    def width(self, text: str, style: TextStyle) -> float:
        key = (text, style)
        if key not in self._widths:
            self._pdf.set_font(style.family, style.emphasis, style.size_pt)
            self._pdf.set_char_spacing(style.char_spacing)
            self._widths[key] = float(self._pdf.get_string_width(text))
        return self._widths[key]

    def fit(
        self, text: str, style: TextStyle, width: float, min_size_pt: float
    ) -> tuple[TextStyle, list[str]]:
        """Shrink the text to fit on one line, but not below `min_size_pt`; then wrap it."""
        natural = self.width(text, style)
        if natural <= width:
            return style, [text]
        size = max(min_size_pt, math.floor(2 * style.size_pt * width / natural) / 2)
        fitted = replace(style, size_pt=size)
        while size > min_size_pt and self.width(text, fitted) > width:
            size = max(min_size_pt, size - 0.5)
            fitted = replace(style, size_pt=size)
        if self.width(text, fitted) <= width:
            return fitted, [text]
        return fitted, self.wrap(text, fitted, width)

    def wrap(self, text: str, style: TextStyle, width: float) -> list[str]:
        """Break at spaces; a word wider than the line (a long URL) is broken between characters."""
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            candidate = f"{current} {word}" if current else word
            if self.width(candidate, style) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while self.width(word, style) > width:
                cut = self._longest_prefix(word, style, width)
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        if current:
            lines.append(current)
        return lines

    def _longest_prefix(self, word: str, style: TextStyle, width: float) -> int:
        low, high = 1, len(word)  # at least one character per line, however narrow the line
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(word[:middle], style) <= width:
                low = middle
            else:
                high = middle - 1
        return low


@dataclass(frozen=True)
class _Block:
    """A stack of centred lines (or a rule, or a gap) whose top is decided later."""

    lines: tuple[str, ...]
    style: TextStyle | None
    widths: tuple[float, ...]
    height: float
    rule_width: float = 0.0


def _paragraph(
    measure: _Measure, text: str, style: TextStyle, *, width: float = CONTENT_WIDTH, min_size_pt: float = 0.0
) -> _Block:
    fitted, lines = measure.fit(text, style, width, min_size_pt or style.size_pt)
    return _Block(
        lines=tuple(lines),
        style=fitted,
        widths=tuple(measure.width(line, fitted) for line in lines),
        height=len(lines) * fitted.line_height,
    )


def _gap(height: float) -> _Block:
    return _Block(lines=(), style=None, widths=(), height=height)


def _rule(width: float, thickness: float) -> _Block:
    return _Block(lines=(), style=None, widths=(), height=thickness, rule_width=width)


def _main_blocks(measure: _Measure, facts: CertificateFacts, scale: float) -> list[_Block]:
    """The centred middle of the certificate, top to bottom, at `scale` times the design size."""
    blocks: list[_Block] = []

    def add(gap: float, text: str, style: TextStyle, min_size_pt: float = 0.0) -> None:
        if not text:  # an empty optional field leaves no empty line behind
            return
        if blocks:
            blocks.append(_gap(gap * scale))
        scaled = replace(style, size_pt=style.size_pt * scale, char_spacing=style.char_spacing * scale)
        blocks.append(_paragraph(measure, text, scaled, min_size_pt=min_size_pt * scale))

    track_and_cohort = [
        *([f"Track: {_clean(facts.track_name)}"] if facts.track_name.strip() else []),
        *([_clean(facts.cohort_name)] if facts.cohort_name.strip() else []),
    ]
    credits = f"{format_ceus(facts.ceus)}   ·   {format_contact_hours(facts.contact_hours)}"

    add(0, _clean(facts.status_note), TextStyle(SANS, "B", 15, RED), min_size_pt=11)
    add(5, _clean(facts.issuer_name).upper(), TextStyle(SANS, "B", 9, GOLD, 0.45), min_size_pt=7)
    add(5, _clean(facts.achievement_name), TextStyle(SERIF, "B", 27, NAVY), min_size_pt=16)
    add(7, "This certifies that", TextStyle(SANS, "", 11, MUTED))
    add(3, _clean(facts.recipient_name), TextStyle(SERIF, "B", 34, INK), min_size_pt=18)
    blocks += [_gap(2.5 * scale), _rule(90 * scale, 0.35)]
    if facts.program_name.strip():
        add(5, "has completed all requirements of", TextStyle(SANS, "", 11, MUTED))
        add(2, _clean(facts.program_name), TextStyle(SANS, "B", 15, NAVY), min_size_pt=11)
    add(3, "   ·   ".join(track_and_cohort), TextStyle(SANS, "", 11, INK), min_size_pt=9)
    add(1.5, credits, TextStyle(SANS, "B", 11, INK))
    return blocks


def _layout(measure: _Measure, facts: CertificateFacts) -> CertificateLayout:
    texts: list[TextLine] = []
    rects = [
        Rect(
            BORDER_INSET,
            BORDER_INSET,
            PAGE_WIDTH - 2 * BORDER_INSET,
            PAGE_HEIGHT - 2 * BORDER_INSET,
            NAVY,
            0.9,
        ),
        Rect(
            INNER_BORDER_INSET,
            INNER_BORDER_INSET,
            PAGE_WIDTH - 2 * INNER_BORDER_INSET,
            PAGE_HEIGHT - 2 * INNER_BORDER_INSET,
            GOLD,
            0.3,
        ),
    ]

    qr = _qr_placement(facts.verification_url)
    footer, footer_top = _layout_footer(measure, facts)
    main_bottom = min(footer_top, qr.y) - 6.0

    # Everything at full size if it fits, else all of it a little smaller (only very long names).
    scale = 1.0
    blocks = _main_blocks(measure, facts, scale)
    while sum(block.height for block in blocks) > main_bottom - CONTENT_TOP and scale > 0.5:
        scale = round(scale - 0.05, 2)
        blocks = _main_blocks(measure, facts, scale)
    total = sum(block.height for block in blocks)
    y = CONTENT_TOP + max(0.0, (main_bottom - CONTENT_TOP - total) / 2)
    centre = PAGE_WIDTH / 2
    for block in blocks:
        if block.rule_width:
            rects.append(Rect(centre - block.rule_width / 2, y, block.rule_width, block.height, GOLD))
        if block.style is not None:
            height = block.style.line_height
            for index, (line, width) in enumerate(zip(block.lines, block.widths, strict=True)):
                texts.append(
                    TextLine(line, centre - width / 2, y + index * height, width, height, block.style)
                )
        y += block.height

    texts += footer
    if facts.status_note:
        watermark = _watermark(measure, _clean(facts.status_note))
        if watermark is not None:
            texts.append(watermark)
    return CertificateLayout(texts=tuple(texts), rects=tuple(rects), qr=qr)


def _layout_footer(measure: _Measure, facts: CertificateFacts) -> tuple[list[TextLine], float]:
    """Dates and identifiers at the bottom left, beside the QR code, and the footer's top."""
    texts: list[TextLine] = []
    small = TextStyle(SANS, "", 7, MUTED)
    identifiers = [
        line
        for text in (
            f"Verify this certificate at {facts.verification_url}",
            f"Credential ID: {_clean(facts.credential_id)}" if facts.credential_id.strip() else "",
        )
        if text
        for line in measure.wrap(text, small, FOOTER_TEXT_WIDTH)
    ]
    y = CONTENT_BOTTOM - len(identifiers) * small.line_height
    footer_top = y
    for index, line in enumerate(identifiers):
        width = measure.width(line, small)
        texts.append(
            TextLine(line, CONTENT_LEFT, y + index * small.line_height, width, small.line_height, small)
        )

    label = TextStyle(SANS, "B", 7, GOLD, 0.35)
    value = TextStyle(SANS, "", 11, INK)
    columns = [("ISSUED ON", format_date(facts.issued_on))]
    if facts.valid_until is not None:
        columns.append(("VALID UNTIL", format_date(facts.valid_until)))
    column_top = footer_top - 5.0 - label.line_height - 0.8 - value.line_height
    x = CONTENT_LEFT
    for caption, text in columns:
        caption_width = measure.width(caption, label)
        text_width = measure.width(text, value)
        texts.append(TextLine(caption, x, column_top, caption_width, label.line_height, label))
        texts.append(
            TextLine(text, x, column_top + label.line_height + 0.8, text_width, value.line_height, value)
        )
        x += max(caption_width, text_width) + 16.0
    return texts, column_top


def _watermark(measure: _Measure, note: str) -> TextLine | None:
    """The status note across the page, faint, so that no crop or cover-up hides it.

    Sized to stay inside the border when turned by 30 degrees; a note too long for that is left
    to the banner at the top.
    """
    angle = 30.0
    style = TextStyle(SANS, "B", 96, RED)
    width = measure.width(note, style)
    if width > 190.0:
        style = replace(style, size_pt=math.floor(96 * 190.0 / width))
        if style.size_pt < 18:
            return None
        width = measure.width(note, style)
    height = style.line_height
    return TextLine(
        note,
        PAGE_WIDTH / 2 - width / 2,
        PAGE_HEIGHT / 2 - height / 2,
        width,
        height,
        style,
        angle=angle,
        opacity=0.14,
    )


def _qr_placement(url: str) -> QrPlacement:
    qr = _qr_code(url)
    width, _height = qr.symbol_size(border=qr.default_border_size)
    return QrPlacement(
        x=CONTENT_RIGHT - QR_SIZE,
        y=CONTENT_BOTTOM - QR_SIZE,
        module=QR_SIZE / width,
        rects=tuple(_rectangles(_dark_modules(qr))),
    )


def _rectangles(squares: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cover the dark modules with few rectangles (column, row, width, height): first merge the
    modules of a row into runs, then stack runs with the same columns on consecutive rows.
    Fewer rectangles make a smaller, faster PDF, and show no seams between modules on screen."""
    runs: list[tuple[int, int, int]] = []
    for column, row in sorted(squares, key=lambda square: (square[1], square[0])):
        if runs and runs[-1][1] == row and runs[-1][0] + runs[-1][2] == column:
            runs[-1] = (runs[-1][0], row, runs[-1][2] + 1)
        else:
            runs.append((column, row, 1))
    growing: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    done: list[tuple[int, int, int, int]] = []
    for column, row, length in runs:
        above = growing.get((column, length))
        if above is not None and above[1] + above[3] == row:
            growing[column, length] = (column, above[1], length, above[3] + 1)
            continue
        if above is not None:
            done.append(above)
        growing[column, length] = (column, row, length, 1)
    return sorted([*done, *growing.values()], key=lambda rect: (rect[1], rect[0]))


def _clean(text: str) -> str:
    """Composed characters (a decomposed "ễ" would print its accents apart) and single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# Painting ----------------------------------------------------------------------------------------


def _paint(pdf: FPDF, layout: CertificateLayout) -> None:
    for rect in layout.rects:
        if rect.line_width:
            pdf.set_draw_color(*rect.color)
            pdf.set_line_width(rect.line_width)
            pdf.rect(rect.x, rect.y, rect.width, rect.height, style="D")
        else:
            pdf.set_fill_color(*rect.color)
            pdf.rect(rect.x, rect.y, rect.width, rect.height, style="F")

    for line in layout.texts:
        if line.angle or line.opacity != 1.0:
            centre_x, centre_y = line.x + line.width / 2, line.y + line.height / 2
            with pdf.local_context(fill_opacity=line.opacity), pdf.rotation(line.angle, centre_x, centre_y):
                _paint_text(pdf, line)
        else:
            _paint_text(pdf, line)

    qr = layout.qr
    pdf.set_fill_color(0, 0, 0)
    overlap = 0.01  # mm: neighbouring rectangles overlap a hair, so no hairline shows between them
    for column, row, width, height in qr.rects:
        pdf.rect(
            qr.x + column * qr.module,
            qr.y + row * qr.module,
            width * qr.module + overlap,
            height * qr.module + overlap,
            style="F",
        )


def _paint_text(pdf: FPDF, line: TextLine) -> None:
    style = line.style
    pdf.set_font(style.family, style.emphasis, style.size_pt)
    pdf.set_char_spacing(style.char_spacing)
    pdf.set_text_color(*style.color)
    font = pdf.current_font
    if isinstance(font, TTFFont) and all(ord(char) in font.cmap for char in line.text):
        # text() is five times faster than cell(), but cannot fall back to another font for a
        # missing glyph. Same baseline as cell(): half the box height plus 0.3 of the font size.
        pdf.text(line.x, line.y + line.height / 2 + 0.3 * pdf.font_size, line.text)
    else:
        pdf.set_xy(line.x, line.y)
        pdf.cell(w=line.width, h=line.height, text=line.text, align="L")
