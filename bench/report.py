"""The figures and their report: bench/report.json (a list of {name, value, unit, baseline, note, ...}) and report.md."""
from __future__ import annotations

import json
import math
import platform
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Figure:
    name: str
    value: float | None  # None: skipped, the note says why
    unit: str
    baseline: float | None
    note: str
    target: str = ""  # e.g. ">= 0.5"; reported beside the figure, never enforced

    @property
    def met(self) -> bool | None:
        if self.value is None or not self.target or math.isnan(self.value):
            return None
        op, bound = self.target.split()
        return self.value >= float(bound) if op == ">=" else self.value <= float(bound)


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"


def write(figures: list[Figure], *, seconds: float, context: str) -> str:
    rows = [{**asdict(f), "value": None if f.value is None or math.isnan(f.value) else round(f.value, 4),
             "baseline": None if f.baseline is None else round(f.baseline, 4), "met": f.met} for f in figures]
    (HERE / "report.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    lines = ["# ERDM benchmark report",
             "",
             f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')} · {platform.node()} · {context} · took {seconds:.0f} s. "
             "Ratios are this / baseline, both measured in this run with the same tool.",
             "",
             "| figure | value | unit | baseline | target | met | note |",
             "| --- | ---: | --- | ---: | --- | --- | --- |"]
    for f in figures:
        met = {True: "yes", False: "**no**", None: "skipped" if f.value is None else "—"}[f.met]
        lines.append(f"| `{f.name}` | {_fmt(f.value)} | {f.unit} | {_fmt(f.baseline)} | {f.target} | {met} | "
                     f"{f.note.replace('|', '/')} |")
    text = "\n".join(lines) + "\n"
    (HERE / "report.md").write_text(text)
    return text
