"""The attachment stories every service with attachments tells alike (plans, drills, rectification orders), on the
data folder and on a real S3-compatible server, and the tiny real files they upload.

A service's test module subclasses `AttachmentStories` and gives a `world` fixture (an `AttachmentWorld`): a
record of one organisation, a client of that organisation and one of an organisation that cannot see it.
"""
from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from sqlalchemy import exc as sa_exc

from servicekit.config import Settings
from servicekit.testing import TEST_SECRET
from stockroom import assert_problem
from tests.objectstore import stored_files, store_url

API = "/api/v1"
MiB = 1024 * 1024


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def image_bytes(kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


def docx_bytes() -> bytes:
    """The smallest package Word opens: content types, the package relationship, the document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                         'package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="'
                         'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        package.writestr("_rels/.rels",
                         '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                         '</Relationships>')
        package.writestr("word/document.xml",
                         '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>整改报告</w:t></w:r></w:p></w:body>'
                         '</w:document>')
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["物资", "数量"])
    book.active.append(["救生衣", 20])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("notes.txt", "not an office document")
    return out.getvalue()


# What a Windows program looks like to anyone who reads its first bytes.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"

KINDS = {  # name -> (bytes, content type judged)
    "预案.pdf": (pdf_bytes, "application/pdf"),
    "现场.png": (lambda: image_bytes("PNG"), "image/png"),
    "现场.jpg": (lambda: image_bytes("JPEG"), "image/jpeg"),
    "报告.docx": (docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "清单.xlsx": (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@dataclass
class AttachmentWorld:
    service: str  # whose store keeps the files
    path: str  # the record's path below /api/v1, e.g. "/plans/<id>"
    owner: object  # a signed client of the record's organisation, allowed to add files
    outsider: object  # a signed client of an organisation whose scope does not reach the record
    missing_path: str  # a record of the same kind that does not exist


def upload(client, path: str, content: bytes, filename: str):
    return client.post(f"{API}{path}/attachments", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


class AttachmentStories:
    """The stories; a subclass named Test… gives `world`."""

    @pytest.fixture(params=["folder", "s3"])
    def settings(self, request, tmp_path):
        """The service's settings with its files in the data folder, or in a bucket of the real S3 server."""
        store = ""
        if request.param == "s3":
            store = store_url(request.getfixturevalue("s3_endpoint"), uuid.uuid4().hex)
        return Settings(internal_secret=TEST_SECRET, data_dir=tmp_path, broker_url=f"filesystem://{tmp_path / 'broker'}",
                        object_store_url=store)

    def test_a_file_uploaded_is_listed_and_read_back_byte_for_byte(self, world, settings):
        content = pdf_bytes()
        answer = upload(world.owner, world.path, content, "../../etc/防汛预案（2026）.pdf")
        assert answer.status_code == 201, answer.get_data(as_text=True)
        attachment = answer.get_json()
        assert attachment["filename"] == "防汛预案（2026）.pdf", attachment  # no folder survives in the name
        assert (attachment["size"], attachment["sha256"]) == (len(content), hashlib.sha256(content).hexdigest())
        assert attachment["content_type"] == "application/pdf" and attachment["uploaded_by"]["name"]
        assert answer.headers["Location"] == attachment["content_url"] == f"{API}/attachments/{attachment['id']}/content"

        listed = world.owner.get(f"{API}{world.path}/attachments").get_json()
        assert listed["total"] == 1 and listed["items"][0] == attachment
        read = world.owner.get(attachment["content_url"])
        assert read.status_code == 200 and read.data == content
        assert read.headers["Content-Type"] == "application/pdf" and read.headers["Content-Length"] == str(len(content))
        assert hashlib.sha256(read.data).hexdigest() == attachment["sha256"]
        assert "filename*=UTF-8''" in read.headers["Content-Disposition"]
        assert stored_files(settings, world.service) == [uuid.UUID(attachment["id"]).hex]

    def test_each_accepted_kind_is_judged_by_its_content_whatever_it_is_called(self, world):
        for filename, (make, content_type) in KINDS.items():
            content = make()
            named = upload(world.owner, world.path, content, filename)
            assert named.status_code == 201, named.get_data(as_text=True)
            assert named.get_json()["content_type"] == content_type
            unnamed = upload(world.owner, world.path, content, "scan")  # no extension: the bytes alone decide
            assert unnamed.get_json()["content_type"] == content_type
        listed = world.owner.get(f"{API}{world.path}/attachments?per_page=20").get_json()
        assert listed["total"] == 2 * len(KINDS)

    def test_a_file_whose_name_lies_about_its_kind_is_refused_and_nothing_kept(self, world, settings):
        for content, filename in ((EXE, "整改报告.pdf"), (plain_zip(), "报告.docx"), (plain_zip(), "清单.xlsx"),
                                  (image_bytes("PNG"), "预案.pdf"), (pdf_bytes(), "photo.jpg"),
                                  # The name is judged as it would be kept, so what is dropped from it hides nothing.
                                  (pdf_bytes(), "photo.jpg."), (pdf_bytes(), "photo.jpg "),
                                  (pdf_bytes(), "photo.j\x07pg")):
            assert_problem(upload(world.owner, world.path, content, filename), 415, "file")
        assert world.owner.get(f"{API}{world.path}/attachments").get_json()["total"] == 0
        assert stored_files(settings, world.service) == []

    def test_a_file_named_as_no_accepted_kind_is_kept_under_a_name_ending_as_its_content(self, world):
        for sent, kept in (("evil.html", "evil.html.pdf"), ("drawing.svg", "drawing.svg.pdf"),
                           ("setup.exe", "setup.exe.pdf"), ("scan", "scan.pdf"), ("预案.PDF", "预案.PDF")):
            answer = upload(world.owner, world.path, pdf_bytes(), sent)
            assert answer.status_code == 201 and answer.get_json()["filename"] == kept, answer.get_data(as_text=True)
            read = world.owner.get(answer.get_json()["content_url"])
            assert read.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(kept)}"

    def test_a_file_of_another_kind_is_refused_415(self, world):
        for content, filename in ((b"just some notes\n", "notes.txt"), (EXE, "setup.exe"),
                                  (b"GIF89a\x01\x00\x01\x00", "a.gif")):
            body = assert_problem(upload(world.owner, world.path, content, filename), 415, "file")
            assert "PDF, DOCX, XLSX, JPEG or PNG" in body["detail"]

    def test_a_document_of_thousands_of_empty_parts_is_refused_415_and_nothing_kept(self, world, settings):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as package:
            package.writestr("[Content_Types].xml", "<Types/>")
            package.writestr("word/document.xml", "<w:document/>")
            for n in range(6000):
                package.writestr(f"padding/{n}", "")
        body = assert_problem(upload(world.owner, world.path, out.getvalue(), "报告.docx"), 415, "file")
        assert "zip of more than" in body["errors"]["file"][0]
        assert stored_files(settings, world.service) == []

    def test_an_empty_file_or_no_file_at_all_is_422_naming_file(self, world):
        assert_problem(upload(world.owner, world.path, b"", "empty.pdf"), 422, "file")
        none = world.owner.post(f"{API}{world.path}/attachments", data={"note": "no file"},
                                content_type="multipart/form-data")
        assert_problem(none, 422, "file")
        assert_problem(world.owner.post(f"{API}{world.path}/attachments", json={"file": "x"}), 422, "file")

    def test_a_file_name_not_in_utf8_or_a_second_file_is_422_naming_file_and_nothing_kept(self, world, settings):
        gbk = "预案.pdf".encode("gbk")  # an old Windows program's form: Werkzeug can read no part of it
        body = (b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + gbk + b"\"\r\n"
                b"Content-Type: application/pdf\r\n\r\n" + pdf_bytes() + b"\r\n--x--\r\n")
        answer = world.owner.post(f"{API}{world.path}/attachments", data=body,
                                  content_type="multipart/form-data; boundary=x")
        assert "UTF-8" in assert_problem(answer, 422, "file")["errors"]["file"][0]
        two = world.owner.post(f"{API}{world.path}/attachments", content_type="multipart/form-data", data={
            "file": [(io.BytesIO(pdf_bytes()), "a.pdf"), (io.BytesIO(pdf_bytes()), "b.pdf")]})
        assert "One file per upload" in assert_problem(two, 422, "file")["errors"]["file"][0]
        assert world.owner.get(f"{API}{world.path}/attachments").get_json()["total"] == 0
        assert stored_files(settings, world.service) == []

    def test_a_file_over_20_mib_is_413_and_nothing_is_kept(self, world, settings):
        just_over = b"%PDF-1.4\n" + b"0" * (20 * MiB - 8)  # 20 MiB and one byte: the file's own cap
        assert_problem(upload(world.owner, world.path, just_over, "big.pdf"), 413, "file")
        far_over = b"%PDF-1.4\n" + b"0" * (21 * MiB)  # past the body's limit: refused while it is spooled
        assert_problem(upload(world.owner, world.path, far_over, "bigger.pdf"), 413, "file")
        exactly = b"%PDF-1.4\n" + b"0" * (20 * MiB - 9)
        assert upload(world.owner, world.path, exactly, "full.pdf").status_code == 201
        assert [item["filename"] for item in world.owner.get(f"{API}{world.path}/attachments").get_json()["items"]] \
            == ["full.pdf"]
        assert len(stored_files(settings, world.service)) == 1

    @pytest.mark.parametrize("failure", ["the gateway's deadline", "the database gone"])
    def test_an_upload_whose_row_is_not_committed_leaves_no_file_in_the_store(self, world, settings, monkeypatch,
                                                                             failure):
        if failure == "the gateway's deadline":  # passed once all but the commit is done: the write is rolled back
            monkeypatch.setattr("servicekit.deadline.passed", lambda *, margin=0.0: margin > 0)
        else:  # the database fails after the file is stored
            def gone(*args, **kwargs):
                raise sa_exc.OperationalError("INSERT INTO attachments", {}, ConnectionError("server closed"))
            monkeypatch.setattr("servicekit.attachments.api.created", gone)
        body = assert_problem(upload(world.owner, world.path, pdf_bytes(), "整改报告.pdf"), 503)
        assert "nothing was changed" in body["detail"]
        monkeypatch.undo()
        assert world.owner.get(f"{API}{world.path}/attachments").get_json()["total"] == 0
        assert stored_files(settings, world.service) == []

    def test_a_record_outside_the_callers_scope_has_no_attachments_for_them(self, world, settings):
        attachment = upload(world.owner, world.path, pdf_bytes(), "内部.pdf").get_json()
        assert_problem(world.outsider.get(f"{API}{world.path}/attachments"), 404)
        assert_problem(upload(world.outsider, world.path, pdf_bytes(), "x.pdf"), 404)
        assert_problem(world.outsider.get(attachment["content_url"]), 404)
        assert_problem(upload(world.owner, world.missing_path, pdf_bytes(), "x.pdf"), 404)
        assert_problem(world.owner.get(f"{API}/attachments/{uuid.uuid4()}/content"), 404)
        assert len(stored_files(settings, world.service)) == 1  # only the one the owner kept

    def test_a_long_name_is_shortened_keeping_its_extension(self, world):
        answer = upload(world.owner, world.path, pdf_bytes(), "应急" * 150 + "\x07.pdf")
        name = answer.get_json()["filename"]
        assert len(name) == 200 and name.endswith(".pdf") and "\x07" not in name
