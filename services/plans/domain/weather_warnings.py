"""Which plans a severe-weather warning opens: the hazard types each warning kind matches, and whose plans count.

A plan's `hazard_types` are free text (`flood`, `Heavy Rain`, `内涝`, `防汛`), so a warning's kind is matched
against a vocabulary, not a single word: a red rainstorm warning opens the plans written for rainstorms, floods,
waterlogging and a mine's water hazards (煤矿防治水: a rainstorm warning is when a mine stops and evacuates),
in English or Chinese. A hazard type matches when, normalised (`normalised`), it is one of its kind's terms
(whole types, not parts: "heat" must not match "wheat"). Every weather kind also matches the umbrella terms
(自然灾害, 气象灾害, …) of a plan written for natural disasters at large; `other` matches those alone.

Only special plans (专项应急预案) are opened by a warning: the comprehensive plan (综合应急预案) frames every
response of its unit and is not the one a duty leader picks for a hazard, and an on-site disposal plan
(现场处置方案) is a post's own card, opened by the people at that post, not from the duty desk.
"""
from __future__ import annotations

from typing import Iterable

ACTIVATED_PLAN_TYPES = ("special",)

WARNING_KINDS = ("rainstorm", "snowstorm", "freezing", "typhoon", "flood", "geological", "heat", "other")

# A plan written for natural or meteorological disasters at large answers every weather warning.
UMBRELLA = frozenset({
    "natural_disaster", "natural_disasters", "meteorological_disaster", "severe_weather", "extreme_weather",
    "自然灾害", "气象灾害", "极端天气", "灾害性天气",
})
RAIN = frozenset({
    "rainstorm", "heavy_rain", "torrential_rain", "rain", "强降雨", "暴雨", "大暴雨", "特大暴雨", "降雨", "强降水",
})
FLOOD = frozenset({
    "flood", "floods", "flooding", "flash_flood", "waterlogging", "urban_waterlogging", "inundation",
    "flood_control", "mine_flooding", "water_inrush", "water_hazard",
    "洪水", "洪涝", "暴雨洪涝", "山洪", "内涝", "城市内涝", "积水", "防汛", "防汛抗旱", "汛期",
    "水害", "矿井水害", "透水", "淹井",
})
DAM = frozenset({"dam_break", "dam_failure", "dike_breach", "tailings_dam", "溃坝", "溃堤", "决堤", "尾矿库", "尾矿库溃坝"})
WIND = frozenset({
    "typhoon", "tropical_cyclone", "strong_wind", "gale", "storm_surge",
    "台风", "热带气旋", "大风", "风暴潮", "防台", "防台风", "防汛防台",
})
SNOW = frozenset({
    "snowstorm", "blizzard", "snow", "heavy_snow", "snow_disaster",
    "暴雪", "大雪", "雪灾", "降雪", "雨雪冰冻", "低温雨雪冰冻",
})
COLD = frozenset({
    "freezing", "freeze", "ice", "icing", "road_icing", "freezing_rain", "frost", "cold_wave", "low_temperature",
    "冰冻", "结冰", "道路结冰", "冻雨", "霜冻", "寒潮", "低温", "雨雪冰冻", "低温雨雪冰冻",
})
GEOLOGICAL = frozenset({
    "geological", "geological_hazard", "geological_disaster", "landslide", "mudslide", "debris_flow", "rockfall",
    "ground_subsidence", "地质灾害", "滑坡", "山体滑坡", "泥石流", "崩塌", "地面塌陷",
})
HEAT = frozenset({
    "heat", "heatwave", "heat_wave", "high_temperature", "heatstroke", "高温", "高温中暑", "中暑", "热浪",
})

# kind -> the hazard types (normalised) of the plans it opens. A kind matches its own name too (`flood`).
HAZARDS_OF_KIND: dict[str, frozenset[str]] = {
    "rainstorm": RAIN | FLOOD | UMBRELLA,
    "flood": FLOOD | RAIN | DAM | UMBRELLA,
    "typhoon": WIND | RAIN | FLOOD | UMBRELLA,
    "snowstorm": SNOW | COLD | UMBRELLA,
    "freezing": COLD | SNOW | UMBRELLA,
    "geological": GEOLOGICAL | UMBRELLA,
    "heat": HEAT | UMBRELLA,
    "other": UMBRELLA,
}

# What `normalised` trims and treats as one separator; its SQL form (use_cases/warnings.py) does the same, so
# only these (not every Unicode space) are taken apart.
SEPARATORS = ("-", " ")


def normalised(hazard_type: str) -> str:
    """A hazard type as the vocabulary spells it: trimmed, lower case, `-` and spaces as `_` ("Heavy Rain" and
    "heavy-rain" are "heavy_rain")."""
    text = hazard_type.strip(" ").lower()
    for separator in SEPARATORS:
        text = text.replace(separator, "_")
    return text


def hazards_opened_by(kind: str) -> frozenset[str]:
    """The hazard types a warning of this kind opens plans for (nothing for a kind the table does not know)."""
    return HAZARDS_OF_KIND.get(kind, frozenset())


def concerned_paths(issuer_path: str, target_paths: Iterable[str]) -> set[str]:
    """The organisations whose plans a warning opens: the issuing bureau, each target, and every organisation on
    the line between them (a city's warning to a district's mines opens the district bureau's plan too).

    Paths are codes from the root (`/ROOT/JB/MINE-1/`); a target outside the issuer's subtree (no warning selects
    one, but an old event may name one) counts by itself.
    """
    concerned = {issuer_path}
    for target in target_paths:
        if not target.startswith(issuer_path):
            concerned.add(target)
            continue
        below = target[len(issuer_path):].strip("/").split("/")
        for depth in range(1, len(below) + 1):
            concerned.add(issuer_path + "".join(f"{code}/" for code in below[:depth]))
    return concerned
