"""The API description's request and answer forms of one schema, and moments written as plain dates."""
from __future__ import annotations

import datetime as dt

import marshmallow as ma
import pytest
from apispec import APISpec
from marshmallow import fields

from servicekit.app import schema_name
from servicekit.openapi import REQUEST, DirectedMarshmallowPlugin, describing
from servicekit.schemas import Instant, Schema, sometimes


class NoteSchema(Schema):
    id = fields.UUID(dump_only=True)
    text = fields.String(required=True)
    due = Instant(allow_none=True)
    pin = fields.String(load_only=True)
    hint = fields.String(metadata=sometimes("only some answers"))


def forms() -> dict:
    spec = APISpec(title="t", version="1", openapi_version="3.0.3",
                   plugins=[DirectedMarshmallowPlugin(schema_name_resolver=schema_name)])
    spec.path("/notes", operations={"post": {
        "requestBody": {"content": {"application/json": {"schema": NoteSchema}}},
        "responses": {"201": {"description": "made", "content": {"application/json": {"schema": NoteSchema}}}}}})
    spec.path("/notes/{id}", operations={"patch": {
        "requestBody": {"content": {"application/json": {"schema": NoteSchema(partial=True)}}},
        "responses": {"200": {"description": "changed", "content": {"application/json": {"schema": NoteSchema}}}}}})
    return spec.to_dict()["components"]["schemas"]


def test_a_schema_used_both_ways_has_a_request_form_and_an_answer_form():
    schemas = forms()
    assert set(schemas) == {"Note", "NoteInput", "NotePatch"}
    answer, request, patch = schemas["Note"], schemas["NoteInput"], schemas["NotePatch"]
    assert set(answer["properties"]) == {"id", "text", "due", "hint"} and answer["properties"]["id"]["readOnly"]
    assert answer["required"] == ["due", "id", "text"]  # all it always carries; `hint` only sometimes
    assert answer["properties"]["due"] == {"type": "string", "format": "date-time", "nullable": True}
    assert set(request["properties"]) == {"text", "due", "pin", "hint"} and request["required"] == ["text"]
    assert "required" not in patch and "id" not in patch["properties"]
    assert [alternative["format"] for alternative in request["properties"]["due"]["oneOf"]] == ["date-time", "date"]


def test_a_component_registered_by_hand_takes_the_form_it_is_described_in():
    spec = APISpec(title="t", version="1", openapi_version="3.0.3",
                   plugins=[DirectedMarshmallowPlugin(schema_name_resolver=schema_name)])
    with describing(REQUEST):
        spec.components.schema("NoteCreate", schema=NoteSchema)
    spec.components.schema("NoteShown", schema=NoteSchema)
    schemas = spec.to_dict()["components"]["schemas"]
    assert "id" not in schemas["NoteCreate"]["properties"] and "pin" not in schemas["NoteShown"]["properties"]


def test_an_answer_carries_a_nullable_field_it_has_no_value_for_as_null():
    assert NoteSchema().dump({"text": "检查水泵"}) == {"text": "检查水泵", "due": None}


@pytest.mark.parametrize(("written", "end_of_day", "meant"), [
    ("2026-12-01", False, dt.datetime(2026, 11, 30, 16, tzinfo=dt.timezone.utc)),
    ("2026-12-01", True, dt.datetime(2026, 12, 1, 15, 59, 59, 999999, tzinfo=dt.timezone.utc)),
    ("2026-12-01T09:00:00+08:00", False, dt.datetime(2026, 12, 1, 1, tzinfo=dt.timezone.utc)),
])
def test_a_moment_is_a_timestamp_or_a_plain_date_in_the_bureaus_zone(written, end_of_day, meant):
    assert Instant(end_of_day=end_of_day).deserialize(written) == meant  # outside an app: Asia/Shanghai


@pytest.mark.parametrize("written", ["2026-02-30", "2201-01-01", "2026-12-01T09:00:00", "20261201"])
def test_a_moment_that_is_no_real_day_or_lacks_an_offset_is_refused(written):
    with pytest.raises(ma.ValidationError):
        Instant().deserialize(written)
