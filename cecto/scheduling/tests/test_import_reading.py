"""Bytes to text and rows: encodings, delimiters, line numbers, and how problems read."""

from __future__ import annotations

import pytest

from cecto.scheduling.imports.reading import (
    ImportFailed,
    Problem,
    decode,
    read_rows,
    sniff_delimiter,
)

TEXT = "email,note\r\njose@example.org,Jos\xe9 \u2013 “quoted”\r\n"


def problems_of(excinfo: pytest.ExceptionInfo[ImportFailed]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16-le"),  # Python writes the BOM, little-endian here
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe\x00\x00" + TEXT.encode("utf-32-le"), "utf-32-le"),
        (TEXT.encode("cp1252"), "cp1252"),  # Excel's "CSV" on US Windows
    ],
)
def test_it_decodes_every_encoding_people_export_in(data, encoding):
    decoded = decode(data, file_name="a.csv")

    assert decoded.text == TEXT
    assert decoded.encoding == encoding
    assert "\ufeff" not in decoded.text


def test_it_reads_a_short_excel_file_as_windows_1252_not_a_lookalike_code_page():
    # charset-normalizer alone calls this cp1250; é is the same there, but ã and õ are not.
    data = "name\r\nJo\xe3o Gon\xe7alves\r\nIn\xeas Ara\xfajo, Lu\xeds Pe\xf5es\r\n".encode("cp1252")

    decoded = decode(data, file_name="a.csv")

    assert decoded.encoding == "cp1252"
    assert "João Gonçalves" in decoded.text
    assert "Peões" in decoded.text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("имя,почта\nИван Петров,ivan@example.ru\nМария Иванова,maria@example.ru\n", "cp1251"),  # noqa: RUF001 (Cyrillic on purpose)
        ("名前,メール\n山田太郎,taro@example.jp\n佐藤花子,hanako@example.jp\n", "shift_jis"),
    ],
)
def test_other_scripts_keep_the_code_page_found_for_them(text, encoding):
    decoded = decode(text.encode(encoding), file_name="a.csv")

    assert decoded.text == text
    assert decoded.encoding != "cp1252"


def test_it_refuses_invalid_utf8_after_a_utf8_bom_naming_the_line():
    data = b"\xef\xbb\xbfemail,note\nok@example.org,fine\nbad@example.org,Jos\xe9\n"

    with pytest.raises(ImportFailed) as excinfo:
        decode(data, file_name="a.csv")

    assert problems_of(excinfo) == [
        "a.csv:3: The file is not valid utf-8 text here (a character cannot be read): save it again as UTF-8."
    ]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel workbook (.xls)"),
        (b"%PDF-1.7\n", "a PDF"),
    ],
)
def test_it_recognises_files_that_are_not_csv(data, says):
    with pytest.raises(ImportFailed) as excinfo:
        decode(data, file_name="report.xlsx")

    assert says in str(excinfo.value)


def test_it_refuses_nul_characters():
    with pytest.raises(ImportFailed, match="NUL characters"):
        decode(b"email\x00,status\n", file_name="a.csv")


def test_it_says_so_when_no_encoding_fits():
    with pytest.raises(ImportFailed, match="cannot be recognised"):
        decode(bytes(range(128, 256)) * 4 + b"\x81\x8d\x8f\x90\x9d", file_name="a.csv")


def test_it_takes_a_tab_when_the_first_delimited_line_has_one():
    teams = "1. Summary\nMeeting title\tWeekly sync, part 2\nStart time\t11/14/26, 9:00:00 AM\n"

    assert sniff_delimiter(teams) == "\t"
    assert sniff_delimiter("\n\nemail,status\nx@example.org,present\n") == ","
    assert sniff_delimiter("just one column\n") == ","


def test_it_numbers_rows_by_the_line_they_start_on():
    text = 'name,note\n"Pat","two\nlines"\n\nSam,x\n'

    rows = list(read_rows(text, delimiter=",", file_name="a.csv"))

    assert [(row.line, row.cells) for row in rows] == [
        (1, ("name", "note")),
        (2, ("Pat", "two\nlines")),
        (4, ()),
        (5, ("Sam", "x")),
    ]
    assert rows[2].is_blank


def test_it_normalises_no_break_spaces_in_cells():
    rows = list(read_rows("a\u00a0\t9:02:13\u202fAM\n", delimiter="\t", file_name="a.csv"))

    assert rows[0].cells == ("a", "9:02:13 AM")


def test_it_reports_an_unterminated_quote_with_its_line():
    with pytest.raises(ImportFailed) as excinfo:
        list(read_rows('email,note\nx@example.org,"never closed\n', delimiter=",", file_name="a.csv"))

    assert problems_of(excinfo)[0].startswith("a.csv:2: The CSV cannot be read")


def test_problems_read_file_line_column_message():
    assert str(Problem("a.csv", 3, "email", "Bad.")) == "a.csv:3: column email: Bad."
    assert str(Problem("a.csv", 3, None, "Bad.")) == "a.csv:3: Bad."
    assert str(Problem("a.csv", None, None, "Bad.")) == "a.csv: Bad."


def test_import_failed_says_the_first_problem_and_how_many_more():
    failure = ImportFailed([Problem("a.csv", 2, "email", "Bad."), Problem("a.csv", 3, "status", "Worse.")])

    assert str(failure) == "a.csv:2: column email: Bad. (and 1 more problems)"
    assert str(ImportFailed([])) == "The file cannot be imported."
