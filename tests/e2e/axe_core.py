"""axe-core, Deque's accessibility engine, for the end-to-end tests: one pinned release from the
npm registry, checked against the registry's sha512 integrity, kept in `.cache/` (git-ignored).

No Node is needed: the tests inject `axe.min.js` into the page with Playwright. `./tracker test`
installs it before the suite runs (as it installs Chromium); the `axe_script` fixture installs it
too when pytest is run directly. A second run reads the cached file and downloads nothing.

    python -m tests.e2e.axe_core     # install (quiet when already cached), print the path
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
# The registry's `dist.integrity` for axe-core 4.14.1 (npm view axe-core@4.14.1 dist.integrity).
INTEGRITY = (
    "sha512-"
    "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)
CACHE = ROOT / ".cache" / f"axe-core-{VERSION}"
SCRIPT = CACHE / "axe.min.js"
MEMBER = "package/axe.min.js"


class AxeInstallError(Exception):
    """axe-core could not be fetched, or what was fetched is not the pinned release."""


def integrity_of(data: bytes) -> str:
    """The Subresource Integrity string npm records for a tarball: sha512, base64."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def script_from_tarball(tarball: bytes, integrity: str = INTEGRITY) -> bytes:
    """axe.min.js out of the npm tarball, after checking the tarball's integrity."""
    if integrity_of(tarball) != integrity:
        raise AxeInstallError(
            f"axe-core {VERSION}: the tarball's sha512 is not the registry's ({integrity}); "
            "nothing was installed"
        )
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise AxeInstallError(f"axe-core {VERSION}: {MEMBER} is missing from the tarball")
        return member.read()


def _download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=60) as reply:
            return bytes(reply.read())
    except OSError as error:
        raise AxeInstallError(
            f"axe-core {VERSION} could not be downloaded from {url}: {error}"
        ) from error


def ensure_axe(fetch=_download) -> Path:
    """The cached axe.min.js, downloading and checking the pinned release first if needed."""
    if SCRIPT.is_file():
        return SCRIPT
    script = script_from_tarball(fetch(TARBALL))
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = SCRIPT.with_suffix(".partial")
    partial.write_bytes(script)
    partial.replace(SCRIPT)  # a run stopped half way leaves no truncated script behind
    return SCRIPT


if __name__ == "__main__":
    try:
        print(ensure_axe())
    except AxeInstallError as problem:
        print(problem, file=sys.stderr)
        sys.exit(1)
