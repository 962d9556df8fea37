"""Filesystem specifics: safe key mapping, permissions, atomic writes, readiness."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from blob_helpers import read_all, source

from multimed.blobs.backend import RawBackend
from multimed.blobs.errors import BlobNotFound, BlobStoreUnavailable, InvalidBlobKey
from multimed.blobs.filesystem import FilesystemBackend
from multimed.blobs.store import BlobStore

BAD_KEYS = [
    "",
    "..",
    "../escape",
    "aa/../../escape",
    "aa/./bb",
    "/etc/passwd",
    "aa//bb",
    "aa/bb/",
    "aa\\..\\bb",
    "aa/.hidden",
    "aa/bb\x00c",
    "aa/b b",
    "x" * 600,
]


@pytest.mark.parametrize("key", BAD_KEYS)
async def test_unsafe_keys_are_rejected_everywhere(store: BlobStore, backend: RawBackend, key: str) -> None:
    with pytest.raises(InvalidBlobKey):
        await store.put(source(b"x"), key=key)
    with pytest.raises(ValueError):  # InvalidBlobKey is also a ValueError
        await backend.write(key, source(b"x"))
    with pytest.raises(InvalidBlobKey):
        await read_all(backend.read(key))
    with pytest.raises(InvalidBlobKey):
        await backend.exists(key)
    with pytest.raises(InvalidBlobKey):
        await backend.delete(key)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_files_are_private_and_temp_files_gone(tmp_path: Path) -> None:
    root = tmp_path / "store"
    backend = FilesystemBackend(root)
    await backend.prepare()
    await backend.prepare()
    assert _mode(root) == 0o700
    size = await backend.write("ab/cd/blob-1", source(b"z" * 3_000_000, 100_000))
    assert size == 3_000_000
    assert _mode(root / "ab") == 0o700
    assert _mode(root / "ab" / "cd") == 0o700
    assert _mode(root / "ab" / "cd" / "blob-1") == 0o600
    assert sorted(p.name for p in root.rglob("*")) == ["ab", "blob-1", "cd"]


async def test_rewrite_replaces_atomically(tmp_path: Path) -> None:
    backend = FilesystemBackend(tmp_path)
    await backend.write("k", source(b"old"))
    await backend.write("k", source(b"new"))
    assert await read_all(backend.read("k")) == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["k"]


async def test_directory_is_not_a_blob(tmp_path: Path) -> None:
    backend = FilesystemBackend(tmp_path)
    await backend.write("ab/cd/blob", source(b"x"))
    with pytest.raises(BlobNotFound):
        await read_all(backend.read("ab/cd"))
    with pytest.raises(BlobNotFound):
        await read_all(backend.read("ab/cd/blob/deeper"))
    assert not await backend.exists("ab/cd")


async def test_check_requires_a_writable_root(tmp_path: Path) -> None:
    missing = FilesystemBackend(tmp_path / "missing")
    with pytest.raises(BlobStoreUnavailable):
        await missing.check()
    await missing.prepare()
    await missing.check()


async def test_os_errors_become_unavailable_but_keep_the_cause(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file-not-dir"
    not_a_dir.write_bytes(b"")
    backend = FilesystemBackend(not_a_dir)
    with pytest.raises(BlobStoreUnavailable) as caught:
        await backend.write("ab/cd/blob", source(b"x"))
    assert isinstance(caught.value.__cause__, OSError)
    assert str(not_a_dir) not in str(caught.value)
    with pytest.raises(BlobStoreUnavailable):
        await backend.check()


def test_root_must_be_absolute() -> None:
    with pytest.raises(ValueError, match="absolute"):
        FilesystemBackend(Path("relative/dir"))
