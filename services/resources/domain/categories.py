"""The GB/T 38565-2020 code structure: a class digit, then two digits per level below, four levels."""
from __future__ import annotations

CODE_LENGTHS = {1: 1, 2: 3, 3: 5, 4: 7}


class CategoryCodeError(ValueError):
    pass


def parent_and_level(code: str) -> tuple[str | None, int]:
    """(parent_code, level) of a well-formed code, else CategoryCodeError saying what is wrong."""
    if not code.isascii() or not code.isdigit():
        raise CategoryCodeError("Must be digits only.")
    if len(code) not in CODE_LENGTHS.values():
        raise CategoryCodeError("Must be 1, 3, 5 or 7 digits (class digit, then two per level).")
    if code[0] not in "123":
        raise CategoryCodeError("Must start with a top class: 1, 2 or 3.")
    if len(code) > 1 and code[-2:] == "00":
        raise CategoryCodeError("The two digits of a level run from 01 to 99.")
    level = 1 + (len(code) - 1) // 2
    return (code[:-2] if level > 1 else None), level
