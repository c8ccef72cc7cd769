"""The supervision API's answers as the service gives them (supervision-api.md; services/supervision/api/*schemas*):
the city bureau's inspector finds a major hazard at 东山煤矿, orders it to stop and rectify; a red rainstorm warning
goes to the mines of 浦东新区 and 闵行区 — 东山煤矿 evacuates 23 people, 西岭煤矿 never answers."""
from __future__ import annotations

import copy

from console import testing

CITY = {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"}
INSPECTOR = {"id": "8d0c7a7e-5f0e-4a52-9f43-3c1f5b1b2a11", "name": "周监察"}
MINE = {"id": "5c1e8a8e-2b7d-4a5e-9d1c-6f3b2a1e0c21", "code": "ENT-MK-01", "name": "东山煤矿"}
SECOND_MINE = {"id": "7d3f1c2b-9a8e-4f6d-b5c4-3e2d1f0a9b22", "code": "ENT-MK-02", "name": "西岭煤矿"}
CHEMICALS = {"id": "9e4a2c1d-0b8f-4e7a-a6d5-4f3e2a1b0c23", "code": "ENT-HG-01", "name": "金山石化储运公司"}
FAN = "f1a2b3c4-0000-4000-8000-000000000031"  # 主通风机无备用电源 (major)
PROBE = "f1a2b3c4-0000-4000-8000-000000000032"  # 瓦斯监测探头超期未校验 (general)
ORDER = "a1b2c3d4-0000-4000-8000-000000000041"
NEW_ORDER = "a1b2c3d4-0000-4000-8000-000000000042"
FOLLOW_UP = "c1d2e3f4-0000-4000-8000-000000000051"
WARNING = "b1c2d3e4-0000-4000-8000-000000000061"
# Every id the pages are fed: none may show in what a person reads.
IDS = (CITY["id"], INSPECTOR["id"], MINE["id"], SECOND_MINE["id"], CHEMICALS["id"], FAN, PROBE, ORDER, NEW_ORDER,
       FOLLOW_UP, WARNING)


def enterprise(org: dict, district: str, industries: list[str], principal=None, deputies=()) -> dict:
    """An organisation as `GET /orgs` answers it (gateway/org_schemas.py OrgSchema)."""
    return {**org, "kind": "enterprise", "path": f"/ROOT/{org['code']}/", "parent": CITY, "district": district,
            "industries": industries, "principal": principal, "deputies": list(deputies), "active": True,
            "created_at": "2026-01-05T02:00:00+00:00", "created_by": {"id": None, "name": "admin"},
            "updated_at": "2026-01-05T02:00:00+00:00", "updated_by": {"id": None, "name": "admin"}}


MINE_ORG = enterprise(MINE, "浦东新区", ["mining"], {"name": "王建国", "title": "矿长"},
                      [{"name": "李安全", "title": "安全副矿长"}])
SECOND_MINE_ORG = enterprise(SECOND_MINE, "闵行区", ["mining"], {"name": "赵长青", "title": "矿长"})
CHEMICALS_ORG = enterprise(CHEMICALS, "金山区", ["hazardous_chemicals"])
ENTERPRISES = [MINE_ORG, SECOND_MINE_ORG, CHEMICALS_ORG]


def hazard(hazard_id: str = FAN, **changes) -> dict:
    """A hazard as `GET /hazards/{id}` answers it."""
    found = {"id": hazard_id, "org_id": MINE["id"], "org": MINE, "title": "主通风机无备用电源",
             "description": "主通风机仅一路供电，未按规定设置备用电源，停电时井下通风中断。", "level": "major",
             "location": "主井口通风机房", "found_at": "2026-12-01T01:30:00+00:00", "found_by": "周监察",
             "recorded_by": INSPECTOR, "created_at": "2026-12-01T06:00:00+00:00"}
    if hazard_id == PROBE:
        found.update(title="瓦斯监测探头超期未校验", level="general", location="1203 综采工作面",
                     description="3 个瓦斯探头超过校验周期。")
    return {**found, **changes}


def order(status: str = "issued", **changes) -> dict:
    """The order as `GET /rectification-orders/{id}` answers it at `status`, with `changes` on top."""
    found = {
        "id": ORDER, "code": "ZG-20261202-3F9A1C", "status": status, "org_id": MINE["id"], "org": MINE,
        "hazard_ids": [FAN, PROBE],
        "hazards": [{"id": FAN, "title": "主通风机无备用电源", "level": "major"},
                    {"id": PROBE, "title": "瓦斯监测探头超期未校验", "level": "general"}],
        "requirements": "立即停止井下作业，增设双回路供电，校验全部瓦斯探头。", "due_date": "2026-12-20",
        "overdue": False, "days_overdue": 0, "issued_by": "周监察", "issued_at": "2026-12-02T02:00:00+00:00",
        "suspend_production": True, "signed_by": None, "signed_position": None, "acknowledged_at": None,
        "measures": None, "completed_at": None, "reported_at": None, "closed_at": None, "closed_by": None,
        "reviews": [], "relapse_of_id": None, "created_by": INSPECTOR, "created_at": "2026-12-02T02:00:00+00:00",
        "updated_at": "2026-12-02T02:00:00+00:00"}
    if status in ("acknowledged", "reported", "closed"):
        found.update(signed_by="李安全", signed_position="deputy", acknowledged_at="2026-12-02T05:00:00+00:00")
    if status in ("reported", "closed"):
        found.update(measures="已增设第二回路电源并完成切换试验；3 个瓦斯探头已送检校验合格。",
                     completed_at="2026-12-10T00:00:00+08:00", reported_at="2026-12-10T08:00:00+00:00")
    if status == "closed":
        found.update(closed_at="2026-12-12T03:00:00+00:00", closed_by="周监察", reviews=[
            {"id": "e0000000-0000-4000-8000-000000000071", "reviewer": "周监察", "result": "passed", "note": None,
             "previous_due_date": "2026-12-20", "new_due_date": None, "reviewed_at": "2026-12-12T03:00:00+00:00",
             "recorded_by": INSPECTOR}])
    found.update(changes)
    return found


def target(org: dict, status: str = "sent", **changes) -> dict:
    """One enterprise a warning went to, as the warning's `targets` answer it."""
    found = {"org_id": org["id"], "org": org, "status": status, "sent_at": "2026-12-02T06:00:00+00:00",
             "ack_due_at": "2026-12-02T06:30:00+00:00", "ack_overdue": False, "acknowledged_late": False,
             "acknowledged_by": None, "acknowledged_at": None, "stopped_at": None, "evacuated_count": None,
             "rainfall_mm": None, "note": None, "reported_at": None, "resumed_at": None}
    if status in ("acknowledged", "reported", "resumed"):
        found.update(acknowledged_by="值班调度 陈明", acknowledged_at="2026-12-02T06:12:00+00:00")
    if status in ("reported", "resumed"):
        found.update(stopped_at="2026-12-02T06:40:00+00:00", evacuated_count=23, rainfall_mm=86.5,
                     note="井下人员全部升井", reported_at="2026-12-02T07:05:00+00:00")
    if status == "resumed":
        found.update(resumed_at="2026-12-03T00:00:00+00:00")
    return {**found, **changes}


def warning(status: str = "issued", targets=None, **changes) -> dict:
    """The warning as `GET /warnings/{id}` answers it: counts and not_acknowledged from its `targets`."""
    targets = copy.deepcopy(targets if targets is not None else [
        target(MINE, "reported"), target(SECOND_MINE, "sent", ack_overdue=True)])
    counts = {name: sum(1 for found in targets if found["status"] == name)
              for name in ("sent", "acknowledged", "reported", "resumed")}
    found = {
        "id": WARNING, "code": "YJ-20261202-7B2D4E", "org_id": CITY["id"], "org": CITY, "kind": "rainstorm",
        "level": "red", "districts": ["浦东新区", "闵行区"], "industries": ["mining"],
        "valid_from": "2026-12-02T06:00:00+00:00", "valid_to": "2026-12-03T06:00:00+00:00",
        "issued_by": "市局总值班室 刘洋", "directive": "stop_and_evacuate",
        "message": "预计未来24小时我市东部将出现大暴雨，请各煤矿立即停产撤人。", "ack_within_minutes": 30,
        "status": status, "summary": None, "closed_at": None, "created_by": INSPECTOR,
        "created_at": "2026-12-02T06:00:00+00:00", "counts": counts,
        "not_acknowledged": [{"org_id": silent["org_id"], "code": silent["org"]["code"], "name": silent["org"]["name"]}
                             for silent in targets if silent["status"] == "sent"],
        "targets": targets}
    return {**found, **changes}


def follow_up(status: str = "scheduled", **changes) -> dict:
    """A look-back as `GET /follow-ups` lists it."""
    found = {"id": FOLLOW_UP, "status": status, "due_date": "2027-03-12", "overdue": False,
             "note": "复查双回路供电运行记录", "checker": None, "result_note": None, "checked_at": None,
             "org_id": MINE["id"], "org": MINE, "created_by": INSPECTOR, "created_at": "2026-12-12T04:00:00+00:00",
             "orders": [{"order_id": ORDER, "order": {"id": ORDER, "code": "ZG-20261202-3F9A1C", "status": "closed"},
                         "new_order_id": None, "new_order": None}]}
    if status != "scheduled":
        found.update(checker="周监察", checked_at="2027-03-10T02:00:00+00:00",
                     result_note="备用电源切换正常" if status == "held" else "备用电源线路被拆除")
    if status == "relapsed":
        found["orders"][0].update(new_order_id=NEW_ORDER,
                                  new_order={"id": NEW_ORDER, "code": "ZG-20270310-9C1D2E", "status": "issued"})
    return {**found, **changes}


def as_person(console_app, gateway, *, role: str, org: dict = CITY, name: str = "周监察"):
    """A browser signed in as `name`, in `role`, of `org`."""
    gateway.on("GET", "/me", {**testing.ME, "name": name, "role": role,
                              "org": {**org, "path": f"/ROOT/{org['code']}/" if org is not CITY else "/ROOT/"}})
    client = console_app.test_client()
    testing.sign_in(client)
    return client
