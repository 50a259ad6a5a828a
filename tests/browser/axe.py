"""axe-core, the accessibility checker the browser suite runs on every page: one pinned
version from the npm registry, checked against the registry's sha512 and kept in a cache
folder. ``.ci/run`` fetches it before the tests (``python tests/browser/axe.py``); no npm
binary is needed. The test injects the file into each page it checks.

Run this module to fetch it: it prints the file's path, and exits non-zero when the
download fails or its checksum does not match (then nothing is kept).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.10.3"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
# dist.integrity of https://registry.npmjs.org/axe-core/4.10.3
INTEGRITY = ("sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs"
             "/PbZhideTcEg==")


def cache_dir() -> Path:
    """``$ANNOTATOR_CACHE`` or ``$XDG_CACHE_HOME/annotator`` (default ``~/.cache/annotator``)."""
    if os.environ.get("ANNOTATOR_CACHE"):
        return Path(os.environ["ANNOTATOR_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "annotator"


def script_path() -> Path:
    """Where the checked ``axe.min.js`` of ``VERSION`` is kept."""
    return cache_dir() / f"axe-core-{VERSION}" / "axe.min.js"


def _check_integrity(data: bytes) -> None:
    algorithm, expected = INTEGRITY.split("-", 1)
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise ValueError(f"{TARBALL}: {algorithm} {digest} does not match the pinned {expected}")


def fetch(timeout: float = 60) -> Path:
    """Download, check and unpack axe.min.js unless it is already there; return its path."""
    target = script_path()
    if target.is_file():
        return target
    with urllib.request.urlopen(TARBALL, timeout=timeout) as response:
        data = response.read()
    _check_integrity(data)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        if member is None:
            raise ValueError(f"{TARBALL} holds no package/axe.min.js")
        script = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(script)
    partial.replace(target)
    return target


if __name__ == "__main__":
    try:
        print(fetch())
    except (OSError, ValueError) as error:
        print(f"axe-core {VERSION}: {error}", file=sys.stderr)
        sys.exit(1)
