"""What ERDM keeps on disk (SQLite databases, the embedded broker's messages) is its owner's alone:
files 0600 in folders 0700, whatever the umask of the process that writes them."""
from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: str | os.PathLike) -> Path:
    """`path` made if missing (parents too) and set 0700; mkdir's own mode is filtered by the umask."""
    path = Path(path)
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    path.chmod(FOLDER_MODE)
    return path


def private_file(path: str | os.PathLike) -> None:
    """`path` made empty if missing, and set 0600."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE))
    os.chmod(path, FILE_MODE)


def open_private(path: str | os.PathLike, flags: int):
    """A binary file object over `path` opened with `flags`, made 0600 when created."""
    return os.fdopen(os.open(path, flags, FILE_MODE), "r+b" if flags & os.O_RDWR else "wb")
