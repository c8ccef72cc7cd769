"""Every string a console page shows has its Chinese (the default language), and the compiled catalogs match."""
from __future__ import annotations

from console import catalogs


def test_every_string_the_console_shows_has_its_chinese():
    assert catalogs.missing() == {}


def test_the_compiled_catalogs_are_those_of_their_sources():
    assert catalogs.stale() == [], "run: python -m console.catalogs compile"


def test_placeholders_survive_translation():
    """A Chinese string that drops or renames a %(name)s would fail at the moment a page shows it."""
    import re

    placeholder = re.compile(r"%\((\w+)\)s")
    said = catalogs.translated()
    broken = {msgid: chinese for msgid, chinese in said.items()
              if set(placeholder.findall(msgid)) != set(placeholder.findall(chinese))}
    assert broken == {}


def test_an_areas_own_catalogs_have_the_last_word_on_its_pages():
    """The same English word may mean two things in two areas; each area's pages use its own Chinese for it."""
    from pathlib import Path

    from console.i18n import area_directories

    names = lambda area: [Path(folder).name for folder in area_directories(area)]  # noqa: E731
    assert names("stock")[-2:] == ["core", "stock"]
    assert names("drills")[-2:] == ["core", "drills"]
    assert names(None)[-1] == "core"
    assert sorted(names("plans")) == sorted(path.name for path in catalogs.parts())
