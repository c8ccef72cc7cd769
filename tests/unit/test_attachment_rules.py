"""What a file is and what it is called: kinds judged by bytes alone, names made safe, the object store's URL read."""
from __future__ import annotations

import io
import zipfile

import pytest

from servicekit.attachments import names, sniff
from servicekit.attachments.spool import UploadPaths, is_upload
from servicekit.attachments.stores import bucket_store


def zipped(*parts: str) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for part in parts:
            package.writestr(part, "<x/>")
    out.seek(0)
    return out


def test_an_ooxml_package_is_told_by_its_main_part_and_any_other_zip_is_refused():
    assert sniff.judge(zipped("[Content_Types].xml", "word/document.xml"), "a.docx").content_type == sniff.DOCX
    assert sniff.judge(zipped("[Content_Types].xml", "xl/workbook.xml"), "").content_type == sniff.XLSX
    for package in (zipped("word/document.xml"), zipped("[Content_Types].xml", "ppt/presentation.xml")):
        with pytest.raises(sniff.Unsupported):
            sniff.judge(package, "a.docx")
    with pytest.raises(sniff.Unsupported):
        sniff.judge(io.BytesIO(b"PK\x03\x04 broken"), "a.xlsx")


def test_a_zip_of_too_many_parts_or_too_large_a_directory_is_refused_before_it_is_listed():
    many = zipped("[Content_Types].xml", "word/document.xml", *(f"p/{n}" for n in range(sniff.MAX_ZIP_ENTRIES)))
    long_names = zipped("[Content_Types].xml", "xl/workbook.xml", *(f"{n:04}" + "x" * 2000 for n in range(600)))
    for package in (many, long_names):
        with pytest.raises(sniff.Unsupported, match="zip of more than"):
            sniff.judge(package, "big.docx")
    at_the_limit = zipped("[Content_Types].xml", "word/document.xml",
                          *(f"p/{n}" for n in range(sniff.MAX_ZIP_ENTRIES - 2)))
    assert sniff.judge(at_the_limit, "").content_type == sniff.DOCX


def test_a_name_claiming_another_accepted_kind_is_refused_but_an_unknown_extension_is_not():
    with pytest.raises(sniff.Unsupported):
        sniff.judge(io.BytesIO(b"%PDF-1.7"), "scan.PNG")
    assert sniff.judge(io.BytesIO(b"\xff\xd8\xff\xe0"), "photo.JPEG").content_type == sniff.JPEG
    assert sniff.judge(io.BytesIO(b"%PDF-1.7"), "scan.tmp").content_type == sniff.PDF


def test_a_name_keeps_no_folder_no_control_character_and_its_extension_when_shortened():
    assert names.display_name("C:\\Users\\a\\..\\预案.pdf", extensions=(".pdf",)) == "预案.pdf"
    assert names.display_name("../\x00\u202e.", extensions=(".png",)) == "attachment.png"
    long = names.display_name("x" * 500 + ".xlsx", extensions=(".xlsx",))
    assert len(long) == names.MAX_NAME_LENGTH and long.endswith(".xlsx")


def test_a_kept_name_ends_in_an_extension_of_the_kind_its_bytes_are():
    jpeg = sniff.EXTENSIONS[sniff.JPEG]
    assert names.display_name("Photo.JPEG", extensions=jpeg) == "Photo.JPEG"  # one of the kind's own: kept
    assert names.display_name("evil.html", extensions=(".pdf",)) == "evil.html.pdf"
    assert names.display_name("scan", extensions=(".png",)) == "scan.png"
    long = names.display_name("x" * 300 + ".svg", extensions=(".pdf",))
    assert len(long) == names.MAX_NAME_LENGTH and long.endswith(".pdf")


@pytest.mark.parametrize("raw", ["photo.jpg.", "photo.jpg ", "photo.j\x07pg", "photo.jp\u200bg", " photo.jpg\t. "])
def test_a_name_is_judged_as_it_will_be_kept_so_trailing_dots_or_hidden_characters_hide_nothing(raw):
    assert names.clean(raw) == "photo.jpg"
    with pytest.raises(sniff.Unsupported):
        sniff.judge(io.BytesIO(b"%PDF-1.7"), names.clean(raw))


def test_the_object_store_url_names_bucket_prefix_and_endpoint_and_refuses_anything_else():
    store = bucket_store("s3://files/erdm/prod?endpoint_url=http://minio:9000&region=cn-north-1", "plans")
    assert (store.bucket, store.prefix) == ("files", "erdm/prod/plans/")
    assert store._options["endpoint_url"] == "http://minio:9000" and store._options["region"] == "cn-north-1"
    assert bucket_store("s3://files", "drills").prefix == "drills/"
    for wrong in ("http://files/x", "s3:///x", "s3://files?secret=1"):
        with pytest.raises(ValueError):
            bucket_store(wrong, "plans")


def test_an_upload_is_a_multipart_post_to_a_records_attachments_path_and_nothing_else_ending_so():
    from contracts.catalogue import attachment_records
    from gateway.bodies import body_limit
    from servicekit.config import Settings

    record = "7d0f6f36-2d4e-4c37-9a3c-5f0b0d1e2a11"
    paths = UploadPaths(attachment_records())
    form = "multipart/form-data; boundary=x"
    for kind in ("plans", "drills", "rectification-orders"):
        assert is_upload("POST", f"/api/v1/{kind}/{record}/attachments", form, paths=paths)
    for path in ("/api/v1/stock/items/attachments", "/api/v1/plans/attachments", f"/api/v1/items/{record}/attachments",
                 f"/api/v1/plans/{record}/x/attachments", f"/api/v1/plans/{record}/attachments/x",
                 "/api/v1/plans/not-an-id/attachments"):
        assert not is_upload("POST", path, form, paths=paths), path
    assert not is_upload("GET", f"/api/v1/plans/{record}/attachments", form, paths=paths)
    assert not is_upload("POST", f"/api/v1/plans/{record}/attachments", "application/json", paths=paths)

    settings = Settings()  # the gateway gives the upload's room to those paths (and the console's forms) alone
    assert body_limit("POST", "/api/v1/stock/items/attachments", settings=settings, mimetype=form) \
        == settings.max_body_bytes
    for path in (f"/api/v1/drills/{record}/attachments", f"/rectification-orders/{record}/attachments"):
        assert body_limit("POST", path, settings=settings, mimetype=form) == settings.upload_max_body_bytes
