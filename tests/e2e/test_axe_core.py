"""The axe-core installer: the pinned tarball is checked against the registry's integrity."""

import io
import tarfile

import pytest

from tests.e2e import axe_core


def _tarball(script: bytes) -> bytes:
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as archive:
        member = tarfile.TarInfo(axe_core.MEMBER)
        member.size = len(script)
        archive.addfile(member, io.BytesIO(script))
    return data.getvalue()


def test_the_script_comes_out_of_a_tarball_with_the_expected_integrity():
    tarball = _tarball(b"window.axe = {};")
    assert axe_core.script_from_tarball(tarball, axe_core.integrity_of(tarball)) == (
        b"window.axe = {};"
    )


def test_a_tarball_with_another_digest_is_refused():
    with pytest.raises(axe_core.AxeInstallError, match="sha512"):
        axe_core.script_from_tarball(_tarball(b"window.axe = {evil: 1};"))


def test_the_cached_script_is_used_without_downloading(monkeypatch, tmp_path):
    cached = tmp_path / "axe.min.js"
    cached.write_text("cached")
    monkeypatch.setattr(axe_core, "SCRIPT", cached)

    def no_download(url):
        raise AssertionError("downloaded although cached")

    assert axe_core.ensure_axe(fetch=no_download) == cached
