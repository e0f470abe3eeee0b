"""The METADATA blocks of the policies are kept in the cache folder: a run whose blocks are all known reads none."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import yamlio
from generator.lint.policy import MetadataMemo, builtin_pack, load_policies


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    original = yamlio.load_data

    def load_data(text: str, path: str = "<stdin>") -> list:
        reads.append(path)
        return original(text, path)

    monkeypatch.setattr(yamlio, "load_data", load_data)
    return reads


def test_a_second_run_reads_no_block_and_gets_the_same_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = counting_reads(monkeypatch)
    first = load_policies(None, tmp_path)
    assert len(reads) >= 80  # one per rule of the built-in pack
    reads.clear()
    second = load_policies(None, tmp_path)
    assert reads == []
    assert second.checks == first.checks == load_policies(None).checks


def test_a_changed_block_is_read_again_and_a_corrupt_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack, cache = tmp_path / "pack", tmp_path / "cache"
    shutil.copytree(builtin_pack(), pack)
    load_policies([str(pack)], cache)
    rule = pack / "no-privileged.rego"
    rule.write_text(rule.read_text().replace("#   severity: error", "#   severity: warning", 1))
    reads = counting_reads(monkeypatch)
    checks = {check.id: check for check in load_policies([str(pack)], cache).checks}
    assert reads == [str(rule)] and checks["no-privileged"].severity == "warning"

    (cache / MetadataMemo.NAME).write_bytes(b"\x00not json")
    reads.clear()
    assert {check.id: check for check in load_policies([str(pack)], cache).checks} == checks
    assert len(reads) >= 80


def test_a_block_json_cannot_hold_exactly_is_not_kept(tmp_path: Path) -> None:
    memo = MetadataMemo(tmp_path)
    memo.put("title: t\ncustom: {until: 2030-01-01}", {"title": "t", "custom": {"until": date(2030, 1, 1)}})
    memo.put("title: u", {"title": "u"})
    memo.save()
    again = MetadataMemo(tmp_path)
    assert again.get("title: u") == {"title": "u"}
    assert again.get("title: t\ncustom: {until: 2030-01-01}") is None
