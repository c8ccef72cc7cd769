"""The organisation tree as the API's `path`s describe it: nested for the tree page, flattened for choosers."""
from __future__ import annotations

from dataclasses import dataclass, field

from console import gateway_api
from console.filters import named

# How far the tree page and the choosers indent; deeper levels line up with the last one.
MAX_DEPTH = 8


@dataclass
class Node:
    org: dict
    depth: int = 0
    children: list[Node] = field(default_factory=list)


def parent_path(path: str) -> str:
    """`/ROOT/PD/ENT-001/` → `/ROOT/PD/`; the root's parent path is `/`."""
    return path[:path.rstrip("/").rfind("/") + 1]


def nest(orgs: list[dict]) -> list[Node]:
    """The organisations as trees, by `path`. The tops are those whose parent the caller cannot see (the root
    for a city-wide admin; the caller's own organisation for anyone else). Siblings go by code."""
    nodes = {org["path"]: Node(org) for org in orgs}
    tops: list[Node] = []
    for path in sorted(nodes):  # a parent's path sorts before its children's
        node = nodes[path]
        parent = nodes.get(parent_path(path))
        if parent is None:
            tops.append(node)
        else:
            node.depth = parent.depth + 1
            parent.children.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: child.org["code"])
    return sorted(tops, key=lambda top: top.org["path"])


def walk(tops: list[Node]):
    """Every node, each before its children (the order of the tree page's rows)."""
    for node in tops:
        yield node
        yield from walk(node.children)


def chooser(tops: list[Node], *, active_only: bool = True) -> list[tuple[str, str]]:
    """(id, "CODE 名称" indented by depth) for a <select>: the tree read from top to bottom."""
    return [(node.org["id"], "\u3000" * min(node.depth, MAX_DEPTH) + named(node.org))
            for node in walk(tops) if node.org.get("active", True) or not active_only]


def load() -> list[Node]:
    """Every organisation the signed-in person reaches, nested."""
    return nest(gateway_api.all_pages("/orgs", per_page=500))
