"""PDF certificates: one A4 landscape page each, deterministic bytes, Unicode names, long text kept
on the page, the status note printed, and every QR module drawn. No database.

Text in the compressed PDF is glyph ids in embedded font subsets, so what the page says is checked
on `certificate_layout`, which is exactly what the painter draws; the bytes are checked for what the
PDF structure shows in the clear (page tree, outline, document information)."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from decimal import Decimal
from itertools import combinations

import pytest
import segno

from cecto.credentials.certificates import (
    CONTENT_BOTTOM,
    CONTENT_RIGHT,
    INNER_BORDER_INSET,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QR_SIZE,
    RED,
    CertificateFacts,
    CertificateLayout,
    TextLine,
    _document,
    _font_path,
    _layout,
    _Measure,
    _rectangles,
    certificate_layout,
    format_ceus,
    format_contact_hours,
    qr_squares,
    render_certificate,
    render_certificates,
)

URL = "https://cecto.example.org/credentials/verify/3f2a9c1e-6b7d-4e0a-9c55-1d2e3f4a5b6c"
NAME_120 = (
    "Maximilian Alexander Konstantin Bartholomew Łukasz Żółć-Wiśniewski "
    "Ἀλέξανδρος Дмитрий Ёлкин von Hohenzollern-Sigmaringen"
)


def facts(**overrides: object) -> CertificateFacts:
    values: dict[str, object] = {
        "credential_id": "urn:uuid:3f2a9c1e-6b7d-4e0a-9c55-1d2e3f4a5b6c",
        "recipient_name": "Zoë O'Brien-Nguyễn",
        "achievement_name": "Certified Education Chief Technology Officer",
        "program_name": "CeCTO — North Carolina Certified Education Chief Technology Officer",
        "track_name": "Technology director",
        "cohort_name": "Class of 2026",
        "issuer_name": "NCDPI, UNC School of Government and MCNC",
        "ceus": Decimal("24.0"),
        "contact_hours": Decimal("240.0"),
        "issued_on": date(2026, 11, 22),
        "valid_until": date(2029, 11, 22),
        "verification_url": URL,
    }
    values.update(overrides)
    return CertificateFacts(**values)  # type: ignore[arg-type]


def page_count(pdf: bytes) -> int:
    """The /Count of the page tree (the /Type /Pages object), which fpdf2 writes uncompressed."""
    (tree,) = [chunk for chunk in pdf.split(b"endobj") if re.search(rb"/Type /Pages\b", chunk)]
    match = re.search(rb"/Count (\d+)", tree)
    assert match is not None
    return int(match.group(1))


def pdf_strings(pdf: bytes, key: str) -> list[str]:
    """Every value of KEY written as a PDF text string: (literal) or <feff…> UTF-16 hex."""
    values = []
    for literal, hexadecimal in re.findall(
        rb"/" + key.encode() + rb" (?:\(([^)]*)\)|<feff([0-9a-f]*)>)", pdf
    ):
        values.append(
            literal.decode("latin-1") if literal else bytes.fromhex(hexadecimal.decode()).decode("utf-16-be")
        )
    return values


def info(pdf: bytes, key: str) -> str:
    """A value from the document information dictionary, the object the trailer's /Info points to."""
    reference = re.search(rb"/Info (\d+) 0 R", pdf)
    assert reference is not None
    dictionary = pdf.split(b"\n" + reference.group(1) + b" 0 obj")[1].split(b"endobj")[0]
    (value,) = pdf_strings(dictionary, key)
    return value


def texts(layout: CertificateLayout) -> list[str]:
    return [line.text for line in layout.texts]


def corners(line: TextLine) -> list[tuple[float, float]]:
    """The corners of a text box on the page, turned about its centre when it is rotated."""
    centre_x, centre_y = line.x + line.width / 2, line.y + line.height / 2
    angle = math.radians(line.angle)
    result = []
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x, y = dx * line.width / 2, dy * line.height / 2
        # Anticlockwise on the page, whose y axis points down.
        result.append(
            (
                centre_x + x * math.cos(angle) + y * math.sin(angle),
                centre_y - x * math.sin(angle) + y * math.cos(angle),
            )
        )
    return result


def assert_inside_the_border(layout: CertificateLayout) -> None:
    for line in layout.texts:
        for x, y in corners(line):
            assert INNER_BORDER_INSET < x < PAGE_WIDTH - INNER_BORDER_INSET, line
            assert INNER_BORDER_INSET < y < PAGE_HEIGHT - INNER_BORDER_INSET, line


def assert_nothing_overlaps(layout: CertificateLayout) -> None:
    qr = layout.qr
    boxes = [
        (line.x, line.y, line.x + line.width, line.y + line.height) for line in layout.texts if not line.angle
    ]
    boxes.append((qr.x, qr.y, qr.x + QR_SIZE, qr.y + QR_SIZE))
    for first, second in combinations(boxes, 2):
        apart = (
            first[2] <= second[0] or second[2] <= first[0] or first[3] <= second[1] or second[3] <= first[1]
        )
        assert apart, (first, second)


# The PDF -----------------------------------------------------------------------------------------


def test_it_renders_one_a4_landscape_page() -> None:
    pdf = render_certificate(facts())

    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 1
    assert b"/MediaBox [0 0 841.89 595.28]" in pdf  # A4 landscape, in points


def test_it_renders_one_page_per_certificate_in_the_given_order() -> None:
    names = ["Łukasz Żółć", "Дмитрий Ёлкин", "Ἀλέξανδρος Παπαδόπουλος"]

    pdf = render_certificates([facts(recipient_name=name) for name in names])

    assert page_count(pdf) == 3
    expected = [f"Certified Education Chief Technology Officer — {name}" for name in names]
    outline = [title for title in pdf_strings(pdf, "Title") if title in expected]  # one entry per page
    assert outline == expected


def test_it_refuses_an_empty_batch() -> None:
    with pytest.raises(ValueError, match="no certificates"):
        render_certificates([])


def test_it_gives_the_same_bytes_for_the_same_facts() -> None:
    first = render_certificate(facts())

    assert render_certificate(facts()) == first
    assert render_certificate(facts(recipient_name="Łukasz Żółć")) != first


def test_it_titles_a_batch_by_its_achievement() -> None:
    same = render_certificates([facts(), facts(recipient_name="Łukasz Żółć")])
    mixed = render_certificates([facts(), facts(achievement_name="Certified Education Technology Leader")])

    assert info(same, "Title") == "Certified Education Chief Technology Officer — 2 certificates"
    assert info(mixed, "Title") == "2 certificates"


def test_it_sets_title_author_and_creation_date_from_the_facts() -> None:
    pdf = render_certificate(facts())

    assert info(pdf, "Title") == "Certified Education Chief Technology Officer — Zoë O'Brien-Nguyễn"
    assert info(pdf, "Author") == "NCDPI, UNC School of Government and MCNC"
    assert info(pdf, "CreationDate") == "D:20261122000000Z"


def test_it_compresses_the_page_content() -> None:
    pdf = render_certificate(facts())

    assert b"/Filter /FlateDecode" in pdf
    assert b"BT /F" not in pdf  # no text operator in the clear


def test_it_bundles_the_fonts_and_their_licence_in_the_package() -> None:
    path = _font_path("DejaVuSans.ttf")

    assert path.parent.parts[-3:] == ("cecto", "credentials", "fonts")
    assert path.is_file()
    assert "Bitstream Vera" in (path.parent / "LICENSE").read_text()


# What the page says ------------------------------------------------------------------------------


def test_it_prints_every_fact() -> None:
    layout = certificate_layout(facts())

    assert texts(layout) == [
        "NCDPI, UNC SCHOOL OF GOVERNMENT AND MCNC",
        "Certified Education Chief Technology Officer",
        "This certifies that",
        "Zoë O'Brien-Nguyễn",
        "has completed all requirements of",
        "CeCTO — North Carolina Certified Education Chief Technology Officer",
        "Track: Technology director   ·   Class of 2026",
        "24.0 CEUs   ·   240 contact hours",
        # The footer, beside the QR code:
        f"Verify this certificate at {URL}",
        "Credential ID: urn:uuid:3f2a9c1e-6b7d-4e0a-9c55-1d2e3f4a5b6c",
        "ISSUED ON",
        "22 November 2026",
        "VALID UNTIL",
        "22 November 2029",
    ]
    assert_inside_the_border(layout)
    assert_nothing_overlaps(layout)


def test_it_leaves_out_valid_until_when_the_credential_does_not_expire() -> None:
    layout = certificate_layout(facts(valid_until=None))

    assert "VALID UNTIL" not in texts(layout)


def test_it_leaves_no_empty_line_for_empty_optional_fields() -> None:
    layout = certificate_layout(facts(program_name="", track_name="", credential_id=""))

    assert "has completed all requirements of" not in texts(layout)
    assert not [text for text in texts(layout) if text.startswith(("Track:", "Credential ID:"))]
    assert "Class of 2026" in texts(layout)


def test_it_sets_the_recipient_name_large_and_centred() -> None:
    layout = certificate_layout(facts())

    (name,) = [line for line in layout.texts if line.text == "Zoë O'Brien-Nguyễn"]
    assert name.style.size_pt == 34
    assert max(line.style.size_pt for line in layout.texts if not line.angle) == 34
    assert name.x + name.width / 2 == pytest.approx(PAGE_WIDTH / 2)


def test_it_renders_latin_greek_and_cyrillic_names() -> None:
    names = [
        "Łukasz Żółć",
        "Zoë O'Brien-Nguyễn",
        "Ἀλέξανδρος Παπαδόπουλος",
        "Дмитрий Ёлкин",
        "Қайрат Жұмабаев",
        "Ҝүлнар Әлијева",  # DejaVu Serif has no "Ҝ": drawn from DejaVu Sans
    ]

    pdf = render_certificates([facts(recipient_name=name) for name in names])

    assert page_count(pdf) == len(names)
    for name in names:
        assert name in texts(certificate_layout(facts(recipient_name=name)))


def test_it_composes_decomposed_accents_before_printing() -> None:
    decomposed = unicodedata.normalize("NFD", "Zoë O'Brien-Nguyễn")

    layout = certificate_layout(facts(recipient_name=decomposed))

    assert "Zoë O'Brien-Nguyễn" in texts(layout)


@pytest.mark.parametrize("field", ["recipient_name", "achievement_name"])
@pytest.mark.parametrize("value", ["", "   "])
def test_it_rejects_an_empty_name(field: str, value: str) -> None:
    with pytest.raises(ValueError, match=f"{field} is empty"):
        facts(**{field: value})


def test_it_rejects_a_relative_verification_url() -> None:
    with pytest.raises(ValueError, match="absolute"):
        facts(verification_url="/credentials/verify/3f2a9c1e")


def test_it_rejects_a_validity_that_ends_before_issue() -> None:
    with pytest.raises(ValueError, match="earlier than issued_on"):
        facts(valid_until=date(2026, 11, 21))


def test_it_shrinks_a_long_name_to_fit_one_line() -> None:
    name = "Maximilian Alexander Konstantin Bartholomew Żółć"

    layout = certificate_layout(facts(recipient_name=name))

    (line,) = [line for line in layout.texts if line.text == name]
    assert 18 <= line.style.size_pt < 34
    assert_inside_the_border(layout)


def test_it_wraps_a_120_character_name_at_the_minimum_size_and_keeps_it_on_the_page() -> None:
    assert len(NAME_120) == 120

    layout = certificate_layout(facts(recipient_name=NAME_120))
    pdf = render_certificate(facts(recipient_name=NAME_120))

    lines = [line for line in layout.texts if line.style.size_pt == 18 and line.style.family == "DejaVuSerif"]
    assert " ".join(line.text for line in lines) == NAME_120
    assert len(lines) > 1
    assert_inside_the_border(layout)
    assert_nothing_overlaps(layout)
    assert page_count(pdf) == 1


def test_it_keeps_every_field_on_the_page_at_its_longest() -> None:
    word = "Wolfeschlegelsteinhausenbergerdorff "
    longest = facts(
        credential_id="https://cecto.example.org/credentials/" + "x" * 160,
        recipient_name=(word * 6)[:200],
        achievement_name=("Certified Education Chief Technology Officer and " * 5)[:200],
        program_name=("CeCTO — North Carolina Certified Education Chief Technology Officer " * 4)[:200],
        track_name=("Technology director " * 10)[:200],
        cohort_name=("Class of 2026 " * 10)[:120],
        issuer_name=("NCDPI, UNC School of Government and MCNC " * 6)[:200],
        verification_url="https://cecto.example.org/credentials/verify/" + "y" * 200,
        status_note="REVOKED on 3 March 2027: the credential was issued in error.",
    )

    layout = certificate_layout(longest)

    assert_inside_the_border(layout)
    assert_nothing_overlaps(layout)
    assert page_count(render_certificate(longest)) == 1


def test_it_prints_the_status_note_prominently() -> None:
    layout = certificate_layout(facts(status_note="REVOKED"))

    banner, watermark = [line for line in layout.texts if line.text == "REVOKED"]
    assert layout.texts[0] == banner  # above everything else
    assert banner.style.color == RED
    assert banner.style.emphasis == "B"
    assert banner.style.size_pt >= 15
    assert watermark.angle != 0  # across the page as well
    assert watermark.style.size_pt > 34
    assert_inside_the_border(layout)


def test_it_renders_a_revoked_certificate() -> None:
    revoked = render_certificate(facts(status_note="REVOKED"))

    assert page_count(revoked) == 1
    assert revoked != render_certificate(facts())


def test_it_shrinks_a_longer_status_note_across_the_page() -> None:
    note = "REVOKED on 3 March 2027"
    short = certificate_layout(facts(status_note="REVOKED")).texts[-1]

    layout = certificate_layout(facts(status_note=note))

    _banner, watermark = [line for line in layout.texts if line.text == note]
    assert 34 < watermark.style.size_pt < short.style.size_pt
    assert_inside_the_border(layout)


def test_it_leaves_a_status_note_too_long_for_the_watermark_to_the_banner() -> None:
    note = "REVOKED on 3 March 2027 because the credential was issued in error"

    layout = certificate_layout(facts(status_note=note))

    assert [line.angle for line in layout.texts if line.text == note] == [0.0]


def test_it_prints_no_status_note_when_there_is_none() -> None:
    layout = certificate_layout(facts())

    assert not [line for line in layout.texts if line.style.color == RED]


@pytest.mark.parametrize(
    ("ceus", "expected"),
    [
        (Decimal("24.0"), "24.0 CEUs"),
        (Decimal("24"), "24.0 CEUs"),
        (Decimal("2.25"), "2.25 CEUs"),
        (Decimal("1.0"), "1.0 CEU"),
        (Decimal("0"), "0.0 CEUs"),
    ],
)
def test_it_formats_ceus_with_at_least_one_decimal(ceus: Decimal, expected: str) -> None:
    assert format_ceus(ceus) == expected


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (Decimal("240.0"), "240 contact hours"),
        (Decimal("240.5"), "240.5 contact hours"),
        (Decimal("240.50"), "240.5 contact hours"),
        (Decimal("1"), "1 contact hour"),
        (Decimal("1200"), "1,200 contact hours"),
    ],
)
def test_it_formats_contact_hours_without_a_needless_decimal(hours: Decimal, expected: str) -> None:
    assert format_contact_hours(hours) == expected


# The QR code -------------------------------------------------------------------------------------


def test_it_draws_one_square_per_dark_module_of_the_qr_code() -> None:
    qr = segno.make(URL, error="m")
    dark = sum(1 for row in qr.matrix for module in row if module)

    squares = qr_squares(URL)

    assert len(squares) == dark
    assert len(set(squares)) == dark
    width, _height = qr.symbol_size()  # with the quiet zone
    assert all(4 <= column < width - 4 and 4 <= row < width - 4 for column, row in squares)


def test_it_covers_exactly_the_dark_modules_with_its_rectangles() -> None:
    layout = certificate_layout(facts())

    covered = [
        (column + dx, row + dy)
        for column, row, width, height in layout.qr.rects
        for dx in range(width)
        for dy in range(height)
    ]
    assert sorted(covered) == sorted(qr_squares(URL))  # every module once, nothing else
    assert len(layout.qr.rects) < len(covered)


def test_it_merges_modules_into_runs_and_stacks_equal_runs() -> None:
    squares = [(0, 0), (1, 0), (0, 1), (1, 1), (3, 1), (0, 3)]

    assert _rectangles(squares) == [(0, 0, 2, 2), (3, 1, 1, 1), (0, 3, 1, 1)]


def test_it_places_a_30_mm_qr_code_with_its_quiet_zone_bottom_right() -> None:
    qr = certificate_layout(facts()).qr
    width, _height = segno.make(URL, error="m").symbol_size()

    assert qr.module * width == pytest.approx(QR_SIZE)
    assert qr.x + QR_SIZE == pytest.approx(CONTENT_RIGHT)
    assert qr.y + QR_SIZE == pytest.approx(CONTENT_BOTTOM)
    assert qr.x > PAGE_WIDTH / 2


def test_it_never_makes_a_micro_qr_code_for_a_short_url() -> None:
    squares = qr_squares("https://a.io/v")

    # A QR code is at least 21 modules wide inside a 4-module quiet zone; a Micro QR code at most 17
    # inside 2, which many phone scanners cannot read.
    assert max(column for column, _row in squares) >= 4 + 21 - 1


def test_it_lays_out_a_page_in_a_batch_as_it_would_alone() -> None:
    """A batch measures text once for all its pages; no page may depend on the ones before it."""
    one = facts(recipient_name="Łukasz Żółć", status_note="REVOKED")
    with _document() as pdf:
        measure = _Measure(pdf)
        _layout(measure, facts(recipient_name=NAME_120))
        in_batch = _layout(measure, one)

    assert in_batch == certificate_layout(one)
