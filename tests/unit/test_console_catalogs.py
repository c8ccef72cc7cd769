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
