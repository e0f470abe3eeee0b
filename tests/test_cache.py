"""The cache folder (generator/cache.py): where it is, atomic entries, the newest kept, a broken folder not used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import cache


def test_the_default_cache_is_in_xdg_cache_home_else_home_and_none_without_a_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.default_cache_dir() == tmp_path / "gitopsgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(Path, "home", staticmethod(lambda: tmp_path / "home"))
    assert cache.default_cache_dir() == tmp_path / "home" / ".cache" / "gitopsgen"

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache.default_cache_dir() is None


def test_an_entry_is_written_whole_and_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "cache"
    cache.write_entry(folder, "thing-1.bin", b"payload", prefix="thing-", keep=4)
    assert cache.read_entry(folder, "thing-1.bin") == b"payload"
    assert sorted(path.name for path in folder.iterdir()) == ["thing-1.bin"]  # no temporary file left
    assert cache.read_entry(folder, "thing-2.bin") is None


def test_only_the_newest_entries_of_a_kind_are_kept(tmp_path: Path) -> None:
    for number in range(6):
        (tmp_path / f"thing-{number}.bin").write_bytes(b"")
        os.utime(tmp_path / f"thing-{number}.bin", ns=(number, number))
    (tmp_path / "other-0.bin").write_bytes(b"")
    os.utime(tmp_path / "other-0.bin", ns=(0, 0))
    cache.write_entry(tmp_path, "thing-new.bin", b"x", prefix="thing-", keep=3)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["other-0.bin", "thing-4.bin", "thing-5.bin", "thing-new.bin"]


def test_a_folder_that_cannot_be_made_or_read_is_not_used(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache.write_entry(blocked / "cache", "thing-1.bin", b"x", prefix="thing-", keep=3)  # no error
    assert cache.read_entry(blocked / "cache", "thing-1.bin") is None
    assert cache.read_entry(tmp_path, "missing.bin") is None


def test_an_entry_key_names_its_parts_in_order_and_reads_no_openssl() -> None:
    key = cache.entry_key("3", "lib.rego", "package lib")
    assert key == cache.entry_key("3", "lib.rego", b"package lib") and len(key) == 16  # bytes hash as their text
    assert key != cache.entry_key("3", "lib.rego", "package lib ")
    assert key != cache.entry_key("3", "lib.regopackage lib")  # where one part ends is part of the key
    assert key != cache.entry_key("lib.rego", "3", "package lib")
    assert cache.entry_key("a\udc80") == cache.entry_key(b"a\xed\xb2\x80")  # a lone surrogate (a file name Python decoded) is kept


@given(st.lists(st.text(), max_size=4), st.lists(st.text(), max_size=4))
def test_two_lists_of_parts_share_a_key_only_when_they_are_the_same(first: list[str], second: list[str]) -> None:
    assert (cache.entry_key(*first) == cache.entry_key(*second)) == (first == second)
