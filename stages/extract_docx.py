"""Word (.docx) files with python-docx: a paragraph per line, tables a row per line, in document order."""
from __future__ import annotations

import io
import zipfile

from stages.records import Rejected

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract_docx(data: bytes) -> str:
    """The text of a .docx body: paragraphs and table rows in the order they appear."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise Rejected("bad_docx", f"the Word file cannot be opened ({exc}); re-save it as .docx") from exc
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag == W + "p":
            lines.append(Paragraph(child, document).text)
        elif child.tag == W + "tbl":
            for row in Table(child, document).rows:
                cells = dict.fromkeys(cell.text.strip() for cell in row.cells)  # merged cells repeat
                lines.append(" | ".join(c for c in cells if c))
    return "\n".join(lines)
