"""Printed documents (PDF): a service's Jinja2 template on the kit's A4 base, rendered by WeasyPrint, answered inline.

Each service keeps its templates in its own `documents/` folder; every template extends the kit's
`document.html` (servicekit/document_templates/): A4, margins, the organisation's name in the running
header, the print date (the bureau's wall clock) and 第 N 页 共 M 页 in the footer, Chinese set in
Noto Sans CJK SC (Debian's fonts-noto-cjk). WeasyPrint is imported on the first render, not at import:
a server without Pango starts and serves everything else, and a document asked of it answers 503 saying
which Debian packages to install, never a 500.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote

from flask import Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from servicekit import clock
from servicekit.openapi import BINARY
from servicekit.owners import code_of, find_org
from servicekit.problems import problem

PDF_MIMETYPE = "application/pdf"
KIT_TEMPLATES = Path(__file__).parent / "document_templates"
# What WeasyPrint needs from Debian at run time (`make debian-packages`, .ci/run, deploy/Dockerfile).
RUNTIME_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-noto-cjk")
UNAVAILABLE = ("PDF documents cannot be made on this server: WeasyPrint's libraries are missing. Install "
               f"Debian's {', '.join(RUNTIME_PACKAGES)} (`make debian-packages`) and restart the service.")
_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class RendererMissing(Exception):
    """WeasyPrint (or the Pango it loads) is not installed here."""


@dataclass(frozen=True)
class Document:
    """One document to print: its template, its Chinese title (also the PDF's title), the organisation it is of
    (the running header and the PDF's author), the ASCII file name and what the template shows."""

    template: str
    title: str
    organisation: str
    filename: str
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def display_filename(self) -> str:
        """The name a person sees when saving it: the title in Chinese and the ASCII name's distinguishing part."""
        return f"{self.title}-{self.filename}"


def quantity(value: Any) -> str:
    """3.000 → 3, 2.500 → 2.5, and a dash for none: quantities as a ledger writes them."""
    if value is None or value == "":
        return "—"
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:
        return str(value)


def day(value: dt.date | dt.datetime | None) -> str:
    """YYYY-MM-DD; an instant as the bureau's calendar shows it."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = clock.local(value).date()
    return value.isoformat()


def moment(value: dt.datetime | None) -> str:
    """YYYY-MM-DD HH:MM on the bureau's wall clock."""
    return "—" if value is None else clock.local(value).strftime("%Y-%m-%d %H:%M")


class DocumentTemplates:
    """A service's document templates (its folder first, then the kit's base), rendered to HTML or PDF."""

    def __init__(self, folder: Path) -> None:
        self.environment = Environment(
            loader=ChoiceLoader([FileSystemLoader(folder), FileSystemLoader(KIT_TEMPLATES)]),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,  # a misspelt name fails the test that renders it, not a signature line
            trim_blocks=True, lstrip_blocks=True,
        )
        self.environment.filters.update(quantity=quantity, day=day, moment=moment)

    def html(self, document: Document, *, printed_at: dt.datetime) -> str:
        template = self.environment.get_template(document.template)
        return template.render(document=document, printed_at=clock.local(printed_at), **document.context)

    def pdf(self, document: Document, *, printed_at: dt.datetime) -> bytes:
        html_class, fetcher_class = _weasyprint()
        # Everything a document shows is in its HTML: it fetches nothing, from the network or from files.
        return html_class(string=self.html(document, printed_at=printed_at),
                          url_fetcher=fetcher_class(allowed_protocols={"data"})).write_pdf()

    def answer(self, document: Document, *, printed_at: dt.datetime) -> Response:
        """The PDF shown in the browser (inline) under its name, or 503 naming the packages WeasyPrint lacks."""
        try:
            body = self.pdf(document, printed_at=printed_at)
        except RendererMissing:
            return problem(503, UNAVAILABLE, title="PDF renderer unavailable", missing_packages=list(RUNTIME_PACKAGES))
        return pdf_response(body, filename=document.filename, display_filename=document.display_filename)


def _weasyprint():
    """WeasyPrint's HTML and URLFetcher, imported now: its import loads Pango through cffi (OSError when missing)."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as missing:
        raise RendererMissing(str(missing)) from missing
    return HTML, URLFetcher


def ascii_filename(name: str) -> str:
    """A file name any client takes in `filename=`: letters, digits, dot, dash and underscore."""
    return _NOT_ASCII_NAME.sub("-", name).strip("-") or "document.pdf"


def pdf_response(body: bytes, *, filename: str, display_filename: str | None = None) -> Response:
    """application/pdf, shown inline, named in ASCII and (RFC 5987/6266 `filename*`) in Chinese; a document of one
    organisation's records is the caller's private view: no cache, shared or the browser's, may keep it."""
    disposition = f'inline; filename="{ascii_filename(filename)}"'
    if display_filename:
        disposition += f"; filename*=UTF-8''{quote(display_filename, safe='')}"
    return Response(body, mimetype=PDF_MIMETYPE, headers={
        "Content-Disposition": disposition, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


def pdf_responses(description: str) -> dict[str, Any]:
    """The OpenAPI answers of a PDF endpoint, for `@blp.doc(responses=...)`: the document, or 503 when this
    server cannot make PDFs."""
    return {"200": {"description": description, "content": {PDF_MIMETYPE: {"schema": dict(BINARY)}}},
            "503": {"description": "This server lacks WeasyPrint's Debian packages (`missing_packages` names them)"}}


@dataclass(frozen=True)
class Organisation:
    """An organisation as a document names it: from the service's directory copy, or by its code while the copy
    has not heard of it."""

    code: str
    name: str
    kind: str | None = None
    principal: Mapping[str, Any] | None = None
    deputies: tuple = ()


def organisation(session, directory, path: str) -> Organisation:
    """The organisation at `path` (an owned record's `org_path`) as its documents name it."""
    found = find_org(session, directory, path=path)
    if found is None:
        return Organisation(code=code_of(path), name=code_of(path))
    return Organisation(code=found.code, name=found.name, kind=found.kind, principal=found.principal,
                        deputies=tuple(found.deputies or ()))
