"""Each service describes its printed document in its OpenAPI: a GET answering application/pdf (bytes a client
saves as they are), or 503 when the server lacks WeasyPrint's Debian packages."""
from __future__ import annotations

import pytest

DOCUMENTS = {"plans_app": "/api/v1/plans/{plan_id}/filing-form.pdf",
             "drills_app": "/api/v1/drills/{drill_id}/report.pdf",
             "resources_app": "/api/v1/stock/ledger.pdf",
             "supervision_app": "/api/v1/rectification-orders/{order_id}.pdf"}


@pytest.mark.parametrize("app_fixture, path", DOCUMENTS.items())
def test_the_document_is_described_as_a_pdf_answer(request, fresh_database_url, app_fixture, path):
    description = request.getfixturevalue(app_fixture).test_client().get("/openapi.json").get_json()
    operation = description["paths"][path]["get"]
    assert operation["responses"]["200"]["content"] == {"application/pdf": {"schema": {"type": "string",
                                                                                       "format": "binary"}}}
    assert "application/problem+json" in operation["responses"]["503"]["content"]
    if path == "/api/v1/stock/ledger.pdf":
        parameters = {parameter["name"] for parameter in operation["parameters"]}
        assert {"warehouse_id", "warehouse_code", "from", "to"} <= parameters
        assert "422" in operation["responses"] and "404" in operation["responses"]
    else:
        assert "404" in operation["responses"]
