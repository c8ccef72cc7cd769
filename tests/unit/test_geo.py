"""Great-circle distances, checked against values known independently of the formula."""
from __future__ import annotations

import math

import pytest

from services.resources.domain.geo import EARTH_RADIUS_KM, haversine_km

SHANGHAI = (31.2304, 121.4737)
JIAXING = (30.7522, 120.7500)
BEIJING = (39.9042, 116.4074)


def test_a_place_is_no_distance_from_itself():
    assert haversine_km(*SHANGHAI, *SHANGHAI) == 0


def test_the_distance_is_the_same_both_ways():
    assert haversine_km(*SHANGHAI, *JIAXING) == pytest.approx(haversine_km(*JIAXING, *SHANGHAI), rel=1e-12)


def test_one_degree_along_the_equator_is_about_111_km():
    assert haversine_km(0, 0, 0, 1) == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360, rel=1e-9)
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, rel=1e-4)


def test_antipodes_are_half_the_circumference_apart():
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM, rel=1e-9)
    assert haversine_km(90, 0, -90, 0) == pytest.approx(20015.1, rel=1e-4)


def test_the_short_way_round_across_the_date_line():
    assert haversine_km(0, 179.5, 0, -179.5) == pytest.approx(haversine_km(0, 0, 0, 1), rel=1e-9)


@pytest.mark.parametrize(("a", "b", "known_km"), [
    (SHANGHAI, JIAXING, 87.1),  # 上海 – 嘉兴
    (BEIJING, SHANGHAI, 1067.3),  # 北京 – 上海
])
def test_city_distances_match_known_great_circle_values(a, b, known_km):
    assert haversine_km(*a, *b) == pytest.approx(known_km, rel=0.01)


def test_a_degree_of_longitude_shrinks_towards_the_poles():
    at_60_north = haversine_km(60, 10, 60, 11)
    assert at_60_north == pytest.approx(haversine_km(0, 10, 0, 11) * math.cos(math.radians(60)), rel=1e-3)
