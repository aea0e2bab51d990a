"""What every cache under ``.selfeval/cache/`` shares, importable without the models.

The read cache (:mod:`selfeval.report.readcache`), the figures
(:mod:`selfeval.report.figures`) and the record of the last run
(:mod:`selfeval.report.runrecord`) all live in one folder and all depend on
the tool's version as one fingerprint.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from pathlib import Path
from typing import Any

from selfeval.model.names import STATE_DIR

__all__ = ["CACHE_DIR", "cache_dir", "hash_package_files", "tool_fingerprint"]

#: Where the caches live, under the workspace's ``.selfeval/`` folder.
CACHE_DIR = "cache"


def cache_dir(root: Path) -> Path:
    """``.selfeval/cache/`` of the workspace at ``root`` (it may not exist)."""
    return root / STATE_DIR / CACHE_DIR


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The tool version as the cache sees it: a hash of selfeval's source, ``__version__`` in it.

    The whole source is hashed (``selfeval/__init__.py`` holds ``__version__``),
    so that a changed checkout (an editable install, a development build with
    the same version number) never reuses entries made by different code.
    Computed once per process (a few ms).
    """
    digest = hashlib.sha256(b"selfeval\0")
    hash_package_files(digest, source=True)
    return digest.hexdigest()


def hash_package_files(digest: Any, *, source: bool) -> None:
    """Feed each file of the selfeval package, by path and content, into ``digest``.

    Args:
        digest: a :mod:`hashlib` object, updated in place.
        source: True: the ``.py`` files; False: every other file (templates,
            catalogues, questionnaires, data), ``__pycache__`` left out.
    """
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or (path.suffix == ".py") != source or not path.is_file():
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
