"""Merging the services' OpenAPI documents into the gateway's one: pure functions over dicts, no I/O."""
from __future__ import annotations

import copy
import logging
from typing import Any, Callable, Iterable

log = logging.getLogger("erdm.gateway.openapi")

COMPONENT_KINDS = ("schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks")

# Every service answers errors through servicekit/problems.py, so its `Problem` is the gateway's,
# whatever small differences its generator shows (e.g. additionalProperties).
SHARED_COMPONENTS = {("schemas", "Problem")}


def normalize_to_3_0(node: Any) -> Any:
    """Rewrite OpenAPI 3.1 numeric `exclusiveMinimum: 0` into 3.0's `minimum: 0, exclusiveMinimum: true`, in place.

    The merged document is 3.0.3 (what Swagger UI renders best); a service generator may emit
    the 3.1 form inside a 3.0 document, which validators rightly refuse.
    """
    if isinstance(node, dict):
        for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            value = node.get(bound)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                node[plain], node[bound] = value, True
        for value in node.values():
            normalize_to_3_0(value)
    elif isinstance(node, list):
        for value in node:
            normalize_to_3_0(value)
    return node


def _refs(node: Any) -> set[str]:
    """Every local `$ref` inside `node`."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            found.add(ref)
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: (renames.get(value, value) if key == "$ref" and isinstance(value, str) else _rewrite_refs(value, renames))
                for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(value, renames) for value in node]
    return node


def _ref(kind: str, name: str) -> str:
    return f"#/components/{kind}/{name}"


def _renames(service: str, components: dict, merged: dict) -> dict[str, str]:
    """`$ref` → `$ref` for the service's components whose names clash with different ones already merged.

    Equal definitions are shared; a definition that refers to a renamed one is renamed too
    (equal text, different meaning), until nothing changes.
    """
    renames: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for kind in COMPONENT_KINDS:
            for name, definition in (components.get(kind) or {}).items():
                ref = _ref(kind, name)
                if ref in renames or (kind, name) in SHARED_COMPONENTS:
                    continue
                existing = (merged.get(kind) or {}).get(name)
                if existing is None:
                    continue
                if existing == definition and not (_refs(definition) & renames.keys()):
                    continue
                renames[ref] = _ref(kind, _free_name(service, name, kind, merged, components))
                changed = True
    return renames


def _free_name(service: str, name: str, kind: str, merged: dict, components: dict) -> str:
    base = f"{service[:1].upper()}{service[1:]}{name}"
    candidate, n = base, 2
    while candidate in (merged.get(kind) or {}) or candidate in (components.get(kind) or {}):
        candidate, n = f"{base}{n}", n + 1
    return candidate


def merge_service(merged: dict, service: str, document: dict, *, owns: Callable[[str], bool]) -> list[str]:
    """Add `service`'s paths (those it owns behind the gateway) and components to `merged`, in place.

    Returns the paths left out, for the log.
    """
    document = normalize_to_3_0(copy.deepcopy(document))
    components = document.get("components") or {}
    renames = _renames(service, components, merged.setdefault("components", {}))
    for kind in COMPONENT_KINDS:
        for name, definition in (components.get(kind) or {}).items():
            if (kind, name) in SHARED_COMPONENTS and name in merged["components"].get(kind, {}):
                continue
            target = renames.get(_ref(kind, name), _ref(kind, name)).rsplit("/", 1)[1]
            merged["components"].setdefault(kind, {})[target] = _rewrite_refs(definition, renames)
    left_out = []
    for path, item in (document.get("paths") or {}).items():
        if not owns(path) or path in merged.setdefault("paths", {}):
            left_out.append(path)
            continue
        merged["paths"][path] = _rewrite_refs(item, renames)
    known = {tag["name"] for tag in merged.setdefault("tags", [])}
    merged["tags"] += [tag for tag in document.get("tags") or [] if tag.get("name") not in known]
    return left_out


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
WRITE_METHODS = ("put", "post", "patch", "delete")


def add_gateway_responses(paths: dict, statuses: Iterable[tuple[str, str, bool]]) -> None:
    """Add the answers the gateway itself may give to each operation, unless the operation lists them.

    `statuses` are (status, component name, only for writes).
    """
    statuses = list(statuses)
    for item in paths.values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            for status, component, writes_only in statuses:
                if writes_only and method not in WRITE_METHODS:
                    continue
                responses.setdefault(status, {"$ref": _ref("responses", component)})
