"""Bytes to rows: the encoding, the delimiter, and problems named by file, line and column.

Pure: no ORM. Every importer reads its file through `decode` and `read_rows`, and reports what is
wrong as `Problem`s in one `ImportFailed`, so a person sees every bad row at once.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import charset_normalizer

from cecto.core.errors import DomainError

# Byte-order marks, longest first: a UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Files people upload by mistake, recognised by their first bytes.
_NOT_TEXT: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file: save it as CSV and try again"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls): save it as CSV and try again"),
    (b"%PDF", "a PDF: export the report as CSV and try again"),
)
# Excel's "CSV" on a US or Western-European Windows saves in this code page.
EXCEL_CODE_PAGE = "cp1252"


@dataclass(frozen=True)
class Problem:
    """What is wrong (or, as a warning, worth knowing) and where: line and column when known."""

    file_name: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file_name if self.line is None else f"{self.file_name}:{self.line}"
        if self.column:
            return f"{where}: column {self.column}: {self.message}"
        return f"{where}: {self.message}"


class ImportFailed(DomainError):
    """The file cannot be imported; nothing was written. `problems` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        first = str(self.problems[0]) if self.problems else "The file cannot be imported."
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problems)" if more > 0 else ""))


@dataclass(frozen=True)
class Row:
    """One record of a delimited file, with the line it starts on (1-based)."""

    line: int
    cells: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes, *, file_name: str) -> Decoded:
    """The file's text, decoded strictly: a character is never silently replaced.

    A byte-order mark decides first (UTF-8, UTF-16 LE/BE as Teams writes, UTF-32); then strict
    UTF-8; then charset-normalizer. Statistics cannot tell the Latin single-byte code pages apart
    on a short file (it calls "José" cp1250), so when it finds one of them and the bytes are valid
    Windows-1252, the file is read as Windows-1252, which Excel's "CSV" save writes on US Windows.
    Cyrillic, Greek or Asian code pages it finds are used as found.
    """
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise ImportFailed([Problem(file_name, None, None, f"This file is {what}.")])
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, file_name=file_name)
    try:
        return Decoded(_checked(data.decode("utf-8"), file_name), "utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ImportFailed(
            [
                Problem(
                    file_name, None, None, "The file's text encoding cannot be recognised: save it as UTF-8."
                )
            ]
        )
    encoding = best.encoding
    if _is_latin_single_byte(data, encoding) and _decodes(data, EXCEL_CODE_PAGE):
        encoding = EXCEL_CODE_PAGE
    return _strict(data, encoding, file_name=file_name)


def _is_latin_single_byte(data: bytes, encoding: str) -> bool:
    """A one-byte-per-character code page whose letters here are all Latin (not Cyrillic, Greek…)."""
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    latin = all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())
    return len(text) == len(data) and latin


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _strict(data: bytes, encoding: str, *, file_name: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, errors="replace").count("\n") + 1
        raise ImportFailed(
            [
                Problem(
                    file_name,
                    line,
                    None,
                    f"The file is not valid {encoding} text here (a character cannot be read): "
                    "save it again as UTF-8.",
                )
            ]
        ) from error
    return Decoded(_checked(text, file_name), encoding)


def _checked(text: str, file_name: str) -> str:
    if "\x00" in text:
        raise ImportFailed(
            [Problem(file_name, None, None, "The file contains NUL characters: it is not a text (CSV) file.")]
        )
    return text


def sniff_delimiter(text: str) -> str:
    """Tab or comma: decided by the first line that contains either (a header or a summary line).

    A Teams report is tab-separated with commas inside its dates ("11/14/26, 9:02:13 AM"), so a
    tab anywhere on that line wins.
    """
    for line in text.splitlines():
        if "\t" in line:
            return "\t"
        if "," in line:
            return ","
    return ","


def read_rows(text: str, *, delimiter: str, file_name: str) -> Iterator[Row]:
    """Every record with the line it starts on; blank lines come through as blank rows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFailed(
                [Problem(file_name, reader.line_num or start, None, f"The CSV cannot be read: {error}.")]
            ) from error
        yield Row(line=start, cells=tuple(_clean(cell) for cell in cells))


def _clean(cell: str) -> str:
    # Teams writes a narrow no-break space before AM/PM; Excel pads with no-break spaces.
    return cell.replace("\u202f", " ").replace("\xa0", " ").strip()


def normalize_header(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").lower().split())
