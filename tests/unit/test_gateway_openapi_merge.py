"""Merging service descriptions: paths as the gateway exposes them, components shared or renamed, never clashing."""
from __future__ import annotations

import copy

from gateway.openapi_merge import add_gateway_responses, merge_service, normalize_to_3_0


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def service_doc(item_schema: dict, *, paths: dict | None = None) -> dict:
    return {
        "openapi": "3.0.3",
        "paths": paths or {"/api/v1/things": {"get": {"responses": {"200": {
            "description": "OK", "content": {"application/json": {"schema": ref("Page")}}}}}}},
        "components": {"schemas": {
            "Item": item_schema,
            "Page": {"type": "object", "properties": {"items": {"type": "array", "items": ref("Item")}}},
            "Problem": {"type": "object", "additionalProperties": False},
        }},
        "tags": [{"name": "things"}],
    }


def owns_everything(path: str) -> bool:
    return True


def test_equal_components_are_shared_and_different_ones_renamed_with_their_dependants():
    merged = {"components": {"schemas": {"Problem": {"type": "object"}}}, "paths": {}}
    merge_service(merged, "resources", service_doc({"type": "string"}), owns=owns_everything)
    other = service_doc({"type": "integer"}, paths={"/api/v1/plans": {"get": {"responses": {"200": {
        "description": "OK", "content": {"application/json": {"schema": ref("Page")}}}}}}})
    merge_service(merged, "plans", other, owns=owns_everything)

    schemas = merged["components"]["schemas"]
    assert schemas["Item"] == {"type": "string"} and schemas["PlansItem"] == {"type": "integer"}
    # Page has the same text in both, but the plans one means a page of *its* items.
    assert schemas["PlansPage"]["properties"]["items"]["items"] == ref("PlansItem")
    assert schemas["Page"]["properties"]["items"]["items"] == ref("Item")
    plans_schema = merged["paths"]["/api/v1/plans"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert plans_schema == ref("PlansPage")
    # Every service's Problem is the gateway's one.
    assert schemas["Problem"] == {"type": "object"} and "PlansProblem" not in schemas


def test_identical_services_share_every_component():
    merged: dict = {"paths": {}}
    doc = service_doc({"type": "string"})
    merge_service(merged, "resources", doc, owns=lambda path: path == "/api/v1/things")
    merge_service(merged, "plans", copy.deepcopy(doc), owns=lambda path: False)
    assert sorted(merged["components"]["schemas"]) == ["Item", "Page", "Problem"]
    assert merged["tags"] == [{"name": "things"}]


def test_paths_the_gateway_does_not_route_to_the_service_are_left_out():
    merged: dict = {}
    doc = service_doc({"type": "string"}, paths={"/api/v1/things": {}, "/healthz": {}, "/api/v1/other": {}})
    left_out = merge_service(merged, "resources", doc, owns=lambda path: path == "/api/v1/things")
    assert list(merged["paths"]) == ["/api/v1/things"]
    assert left_out == ["/healthz", "/api/v1/other"]


def test_numeric_exclusive_bounds_become_the_3_0_form():
    schema = {"properties": {"q": {"type": "number", "exclusiveMinimum": 0, "maximum": 5}},
              "x": [{"exclusiveMaximum": 9.5}], "flag": {"exclusiveMinimum": True, "minimum": 1}}
    normalize_to_3_0(schema)
    assert schema["properties"]["q"] == {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 5}
    assert schema["x"] == [{"maximum": 9.5, "exclusiveMaximum": True}]
    assert schema["flag"] == {"exclusiveMinimum": True, "minimum": 1}


def test_gateway_answers_are_added_to_every_operation_without_overriding_the_service():
    paths = {"/a": {"get": {"responses": {"200": {}}}, "post": {"responses": {"429": {"description": "own"}}},
                    "parameters": []}}
    add_gateway_responses(paths, [("401", "Unauthorized", False), ("413", "PayloadTooLarge", True),
                                  ("429", "TooManyRequests", False)])
    assert paths["/a"]["get"]["responses"]["401"] == {"$ref": "#/components/responses/Unauthorized"}
    assert "413" not in paths["/a"]["get"]["responses"]
    assert paths["/a"]["post"]["responses"]["413"] == {"$ref": "#/components/responses/PayloadTooLarge"}
    assert paths["/a"]["post"]["responses"]["429"] == {"description": "own"}
