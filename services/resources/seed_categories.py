"""Seed data for GET /categories: the GB/T 38565-2020 emergency-supply classification tree.

Sources and certainty
---------------------
Confirmed from public copies of GB/T 38565-2020《应急物资分类及编码》 (published
2020-03-06, in force 2020-10-01, SAC/TC 287), clause 5.2 "编码方法":

* hierarchical code, four levels, seven digits at the finest;
* level 1 (应急物资大类) is one digit: 1 基本生活保障物资, 2 应急装备及配套物资,
  3 工程材料与机械加工设备;
* levels 2, 3 and 4 (应急物资中类 / 小类 / 细类) add two digits each, 01-99;
* at every level "99" is the catch-all (收容类目).

NOT confirmed: the standard's own 中类/小类/细类 table (its 应急物资分类代码表). The
stored copies of the text end before that table, and no public repository
found reproduces it. So every code below level 1, and every name below
level 1, is this project's choice, not a quotation of the standard. The
names use the standard's wording style and common Chinese emergency-supply
terms; the ordering (01, 02, ...) is plausible but not the standard's
assignment. Check them against a licensed copy of the standard before codes
are exchanged with other systems. The level-4 (细类) rows are a few
illustrative entries only (救生衣, 冲锋舟, 发电机组 ...). Each named level-2
class has a level-3 "99"; the level-2 "99" catch-alls are not subdivided,
and level 4 has no "99" rows yet.

Each row is (code, name), parent before child. Level and parent are worked
out from the code by derive(), so they are not stored.
"""

from __future__ import annotations

CATEGORIES: tuple[tuple[str, str], ...] = (
    # 1 基本生活保障物资 (level 1 confirmed; everything under it is this project's choice)
    ("1", "基本生活保障物资"),
    ("101", "食品"),
    ("10101", "粮油"),
    ("10102", "方便食品"),
    ("10199", "其他食品"),
    ("102", "饮用水"),
    ("10201", "包装饮用水"),
    ("10299", "其他饮用水"),
    ("103", "衣被"),
    ("10301", "棉被毛毯"),
    ("10302", "衣物"),
    ("10399", "其他衣被"),
    ("104", "住宿用品"),
    ("10401", "帐篷"),
    ("10402", "折叠床"),
    ("10403", "睡袋"),
    ("10499", "其他住宿用品"),
    ("105", "生活用品"),
    ("10501", "卫生洗漱用品"),
    ("10502", "炊具餐具"),
    ("10599", "其他生活用品"),
    ("199", "其他基本生活保障物资"),
    # 2 应急装备及配套物资 (level 1 confirmed; everything under it is this project's choice)
    ("2", "应急装备及配套物资"),
    ("201", "个体防护装备"),
    ("20101", "头部防护装备"),
    ("20102", "呼吸防护装备"),
    ("20103", "躯体防护装备"),
    ("20104", "水上救生防护装备"),
    ("2010401", "救生衣"),
    ("2010402", "救生圈"),
    ("20199", "其他个体防护装备"),
    ("202", "搜索救援装备"),
    ("20201", "生命搜索装备"),
    ("20202", "破拆顶撑装备"),
    ("20203", "水域救援装备"),
    ("2020301", "冲锋舟"),
    ("2020302", "橡皮艇"),
    ("20299", "其他搜索救援装备"),
    ("203", "医疗救护装备"),
    ("20301", "急救器材"),
    ("20302", "卫生防疫器材"),
    ("20399", "其他医疗救护装备"),
    ("204", "应急通信装备"),
    ("20401", "卫星通信设备"),
    ("20402", "无线对讲设备"),
    ("20499", "其他应急通信装备"),
    ("205", "应急照明装备"),
    ("20501", "移动照明设备"),
    ("20502", "便携照明器具"),
    ("20599", "其他应急照明装备"),
    ("206", "应急动力装备"),
    ("20601", "发电设备"),
    ("2060101", "柴油发电机组"),
    ("2060102", "汽油发电机组"),
    ("20602", "移动储能电源"),
    ("20699", "其他应急动力装备"),
    ("207", "消防灭火装备"),
    ("20701", "灭火器具"),
    ("20702", "消防供水器材"),
    ("20799", "其他消防灭火装备"),
    ("299", "其他应急装备及配套物资"),
    # 3 工程材料与机械加工设备 (level 1 confirmed; everything under it is this project's choice)
    ("3", "工程材料与机械加工设备"),
    ("301", "防汛抢险材料"),
    ("30101", "编织袋麻袋"),
    ("30102", "土工布"),
    ("30199", "其他防汛抢险材料"),
    ("302", "建筑材料"),
    ("30201", "钢材"),
    ("30202", "水泥砂石"),
    ("30203", "木材"),
    ("30299", "其他建筑材料"),
    ("303", "工程机械"),
    ("30301", "挖掘机械"),
    ("30302", "起重机械"),
    ("30303", "装载机械"),
    ("30304", "排水机械"),
    ("30399", "其他工程机械"),
    ("304", "机械加工设备"),
    ("30401", "焊接切割设备"),
    ("30402", "金属加工机床"),
    ("30499", "其他机械加工设备"),
    ("399", "其他工程材料与机械加工设备"),
)


def _well_formed(code: str) -> bool:
    """True if code is a GB/T 38565 code: class digit 1-3, then two-digit groups 01-99."""
    if not (code.isascii() and code.isdigit() and len(code) in (1, 3, 5, 7)):
        return False
    if code[0] not in "123":
        return False
    return all(code[i:i + 2] != "00" for i in range(1, len(code), 2))


def derive(code: str) -> tuple[int, str | None]:
    """Return (level, parent_code) for a code; parent_code is None at level 1."""
    if not _well_formed(code):
        raise ValueError(f"malformed GB/T 38565 category code: {code!r}")
    level = 1 + (len(code) - 1) // 2
    return level, (code[:-2] if level > 1 else None)


def _check() -> None:
    """Fail at import if a code is malformed or repeated, or its parent is missing or listed after it."""
    seen: set[str] = set()
    for code, name in CATEGORIES:
        _, parent = derive(code)  # raises on a malformed code
        if code in seen:
            raise ValueError(f"duplicate category code: {code}")
        if not name.strip():
            raise ValueError(f"category {code} has an empty name")
        if parent is not None and parent not in seen:
            raise ValueError(f"category {code}: parent {parent} missing or listed after it")
        seen.add(code)


_check()
