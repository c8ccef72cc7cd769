"""The PDF documents' Debian packages are installed wherever ERDM runs, and their templates ship with the package."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from servicekit.documents import RUNTIME_PACKAGES

ROOT = Path(__file__).resolve().parents[2]


def test_make_ci_and_the_image_install_the_packages_the_renderer_names():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^DEBIAN_RUNTIME_PACKAGES := (.+)$", makefile, flags=re.MULTILINE)[1].split()
    assert listed == list(RUNTIME_PACKAGES)
    assert re.search(r"^debian-packages:\n\tapt-get update\n\tapt-get install -y --no-install-recommends "
                     r"\$\(DEBIAN_RUNTIME_PACKAGES\)$", makefile, flags=re.MULTILINE)
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    install = re.search(r"apt-get install -y --no-install-recommends ([^\\\n]+)", dockerfile)[1].split()
    assert install == list(RUNTIME_PACKAGES) and "rm -rf /var/lib/apt/lists/*" in dockerfile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    checked = re.search(r"for package in ([^;]+); do", ci)[1].split()
    assert set(RUNTIME_PACKAGES) | {"poppler-utils"} <= set(checked)


def test_every_document_template_is_package_data():
    """setuptools ships a template only when a package-data pattern names it (a 500 in the image otherwise)."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    templates = [*ROOT.glob("services/*/documents/*"), *ROOT.glob("servicekit/document_templates/*")]
    assert len(templates) >= 6

    def shipped(path: Path) -> bool:
        package = "servicekit" if path.parts[-3] == "servicekit" else None
        relative = Path(*path.parts[-2:])
        return any(relative.match(pattern) for pattern in [*patterns.get("*", []), *patterns.get(package, [])])

    assert [str(path) for path in templates if not shipped(path)] == []
