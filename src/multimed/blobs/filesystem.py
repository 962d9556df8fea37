"""Blobs as files under one root directory, each written atomically (temp file, fsync, rename)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from multimed.blobs.backend import RawBackend, validate_key
from multimed.blobs.bytequeue import ByteQueue
from multimed.blobs.errors import BlobNotFound, BlobStoreUnavailable

IO_CHUNK_SIZE = 1024 * 1024
TEMP_PREFIX = ".tmp-"
TEMP_SUFFIX = ".part"
_DIR_MODE = 0o700

_P = ParamSpec("_P")
_T = TypeVar("_T")


async def _blocking(fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Run fn in a worker thread; if cancelled, wait for the thread to finish before propagating."""
    # Cancelling an await does not stop the thread. Without the wait, cleanup could close a file
    # descriptor the thread is still writing to, and the number may already be reused elsewhere.
    task = asyncio.ensure_future(asyncio.to_thread(fn, *args, **kwargs))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait({task})
        if not task.cancelled():
            task.exception()  # mark retrieved; the cancellation is what propagates
        raise


async def _io(fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """_blocking for our own file operations: OS failures become BlobStoreUnavailable."""
    try:
        return await _blocking(fn, *args, **kwargs)
    except OSError as exc:
        # strerror only ("No space left on device"): the path and errno details stay in __cause__.
        raise BlobStoreUnavailable(f"blob filesystem error: {exc.strerror or type(exc).__name__}") from exc


def _write_all(fd: int, data: bytes) -> int:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    return len(data)


def _fsync_dir(directory: Path) -> None:
    # The rename is only durable once the directory entry itself reaches the disk.
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _commit(fd: int, temp: Path, target: Path) -> None:
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)
    _fsync_dir(target.parent)


def _discard(fd: int | None, temp: Path, target: Path | None) -> None:
    # Synchronous on purpose: a few quick syscalls that must also run while the writing task is
    # being cancelled, when awaiting a worker thread could be interrupted again.
    if fd is not None:
        os.close(fd)
    temp.unlink(missing_ok=True)
    if target is not None:
        target.unlink(missing_ok=True)


def _open_regular(path: Path) -> int:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise BlobNotFound("no blob stored under this key") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BlobNotFound("no blob stored under this key")
    return fd


class _BackgroundFlush:
    """Flush written data to disk while later chunks are still being received and encrypted.

    A single fsync at the end would make the whole disk write a serial stage after everything else;
    an fdatasync in flight every FLUSH_EVERY bytes overlaps the disk with the rest of the pipeline.
    """

    FLUSH_EVERY = 16 * 1024 * 1024

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._flushed_upto = 0
        self._task: asyncio.Task[None] | None = None

    def wrote(self, total: int) -> None:
        """Note bytes written so far; start a flush when enough is unflushed and none is running."""
        if total - self._flushed_upto >= self.FLUSH_EVERY and (self._task is None or self._task.done()):
            if self._task is not None and self._task.exception() is not None:
                return  # surfaced by finish()
            self._flushed_upto = total
            self._task = asyncio.create_task(_io(os.fdatasync, self._fd))

    async def finish(self, *, suppress: bool = False) -> None:
        """Wait for the flush in flight (before the fd is committed or closed)."""
        if self._task is None:
            return
        try:
            await asyncio.shield(self._task) if not self._task.done() else self._task.result()
        except Exception:
            if not suppress:
                raise


class FilesystemBackend(RawBackend):
    """Stores each blob as a file (mode 0600) in directories (mode 0700) below root."""

    kind = "filesystem"

    def __init__(self, root: Path, *, io_chunk_size: int = IO_CHUNK_SIZE) -> None:
        if not root.is_absolute():
            raise ValueError("filesystem blob root must be an absolute path")
        self._root = root
        self._io_chunk_size = io_chunk_size

    @property
    def root(self) -> Path:
        """Directory under which every blob lives."""
        return self._root

    def path_for(self, key: str) -> Path:
        """File path of key; raises InvalidBlobKey for anything that could escape root."""
        return self._root.joinpath(*validate_key(key).split("/"))

    def _make_dirs(self, directory: Path) -> None:
        # Path.mkdir(parents=True) ignores mode for the parents; create each level ourselves.
        missing: list[Path] = []
        current = directory
        while not current.is_dir() and current != self._root.parent:
            missing.append(current)
            current = current.parent
        for path in reversed(missing):
            with contextlib.suppress(FileExistsError):
                path.mkdir(mode=_DIR_MODE)

    async def write(self, key: str, chunks: AsyncIterator[bytes]) -> int:
        """Stream chunks into a temp file next to the target, then fsync and rename it into place."""
        target = self.path_for(key)
        await _io(self._make_dirs, target.parent)
        # mkstemp creates the file with mode 0600 and a name no key can collide with.
        fd, temp_name = await _io(tempfile.mkstemp, dir=target.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        temp = Path(temp_name)
        total = 0
        committing = False
        flusher = _BackgroundFlush(fd)
        try:
            pending = ByteQueue()
            async for chunk in chunks:
                pending.push(chunk)
                # Batching keeps the thread hops (and syscalls) per blob few and large.
                if len(pending) >= self._io_chunk_size:
                    total += await _io(_write_all, fd, pending.pop(len(pending)))
                    flusher.wrote(total)
            if pending:
                total += await _io(_write_all, fd, pending.pop(len(pending)))
            await flusher.finish()
            committing = True
            await _io(_commit, fd, temp, target)
        except BaseException:
            await flusher.finish(suppress=True)
            _discard(None if committing else fd, temp, target if committing else None)
            raise
        return total

    async def read(self, key: str) -> AsyncGenerator[bytes, None]:
        """Stream the file of key in large chunks read off the event loop."""
        fd = await _io(_open_regular, self.path_for(key))
        try:
            while data := await _io(os.read, fd, self._io_chunk_size):
                yield data
        finally:
            os.close(fd)

    async def delete(self, key: str) -> None:
        """Remove the file of key if present."""
        await _io(self.path_for(key).unlink, missing_ok=True)

    async def exists(self, key: str) -> bool:
        """Whether a regular file is stored for key."""
        return await _io(self.path_for(key).is_file)

    async def check(self) -> None:
        """Raise BlobStoreUnavailable unless root is a writable directory."""

        def usable() -> bool:
            return self._root.is_dir() and os.access(self._root, os.W_OK | os.X_OK)

        if not await _io(usable):
            raise BlobStoreUnavailable("blob root directory is missing or not writable")

    async def prepare(self) -> None:
        """Create root (mode 0700) if missing."""
        await _io(self._root.mkdir, mode=_DIR_MODE, parents=True, exist_ok=True)

    async def close(self) -> None:
        """Nothing to release: every file is closed when its operation ends."""
