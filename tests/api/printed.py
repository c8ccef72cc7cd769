"""Reading a printed document (PDF) back as a person's reader would: its text, its pages' size, its metadata."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader

A4_POINTS = (595.28, 841.89)


@dataclass
class Printed:
    text: str  # every page's text, in order, with runs of white space made one space
    pages: list
    title: str | None
    author: str | None

    def is_a4(self) -> bool:
        return all(abs(float(page.mediabox.width) - A4_POINTS[0]) <= 1
                   and abs(float(page.mediabox.height) - A4_POINTS[1]) <= 1 for page in self.pages)

    def says(self, *phrases: str) -> bool:
        """Each phrase appears in the text (white space inside a phrase and in the text is not compared)."""
        squeezed = re.sub(r"\s+", "", self.text)
        return all(re.sub(r"\s+", "", phrase) in squeezed for phrase in phrases)


def read_pdf(response) -> Printed:
    """A 200 application/pdf answer, read back with pypdf."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    metadata = reader.metadata or {}
    return Printed(text=re.sub(r"\s+", " ", text), pages=list(reader.pages),
                   title=metadata.get("/Title"), author=metadata.get("/Author"))
