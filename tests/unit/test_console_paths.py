"""After signing in the console goes only to a path on its own site."""
from __future__ import annotations

import pytest

from console.paths import local_path


@pytest.mark.parametrize("target, expected", [
    ("/stock/?page=2", "/stock/?page=2"),
    ("/plans/", "/plans/"),
    ("/?", "/"),
    ("//evil.example/", None),
    ("/\\evil.example/", None),
    ("https://evil.example/", None),
    ("javascript:alert(1)", None),
    ("stock", None),
    ("", None),
    (None, None),
])
def test_only_a_local_path_is_a_place_to_go_after_sign_in(target, expected):
    assert local_path(target) == expected


@pytest.mark.parametrize("target", ["/x\r\nSet-Cookie:a=b", "/x\ty", "/x\x7f"])
def test_a_path_carrying_a_control_character_is_no_place_to_go(target):
    assert local_path(target) is None
