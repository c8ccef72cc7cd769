"""The organisation directory as the city's administrator builds it, for the tests: a city, its districts, enterprises."""
from __future__ import annotations

from typing import Any

from gateway.testing import ADMIN, bearer

ORGS = "/api/v1/orgs"
KEYS = "/api/v1/keys"


class CityDesk:
    """Creates organisations and keys through the gateway; every call asserts its expected status."""

    def __init__(self, client) -> None:
        self.client = client

    def org(self, code: str, parent: str, kind: str = "enterprise", *, headers=ADMIN, expected: int = 201,
            **fields: Any) -> dict[str, Any]:
        body = {"code": code, "name": fields.pop("name", f"{code} 单位"), "kind": kind, "parent_code": parent, **fields}
        response = self.client.post(ORGS, json=body, headers=headers)
        assert response.status_code == expected, response.get_data(as_text=True)
        return response.get_json()

    def key(self, org: str, scope: str | None = None, role: str = "viewer", *, headers=ADMIN,
            expected: int = 201) -> dict[str, Any]:
        """A key for the organisation with code `org`; its token under "key" and, for convenience, "auth"."""
        body = {"name": f"{org} {role} {scope or 'default'}", "role": role, "org_code": org}
        if scope:
            body["scope"] = scope
        response = self.client.post(KEYS, json=body, headers=headers)
        assert response.status_code == expected, response.get_data(as_text=True)
        answer = response.get_json()
        if expected == 201:
            answer["auth"] = bearer(answer["key"])
        return answer

    def codes_seen(self, headers) -> list[str]:
        response = self.client.get(ORGS, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [org["code"] for org in response.get_json()["items"]]

    def build_city(self) -> dict[str, dict[str, Any]]:
        """The city's bureau (the root) → 浦东 (PD) → two enterprises; and a second district, 闵行 (MH)."""
        pd = self.org("PD", "ROOT", "bureau", name="浦东新区应急管理局", district="浦东新区")
        return {
            "PD": pd,
            "ENT-001": self.org("ENT-001", "PD", name="上海某化工有限公司", district="浦东新区",
                                industries=["hazardous_chemicals"],
                                principal={"name": "王建国", "title": "总经理"},
                                deputies=[{"name": "李强", "title": "安全副总"}]),
            "ENT-002": self.org("ENT-002", "PD", name="浦东轨交运营公司", district="浦东新区",
                                industries=["rail_transit", "crowded_venue"]),
            "MH": self.org("MH", "ROOT", "bureau", name="闵行区应急管理局", district="闵行区"),
        }
