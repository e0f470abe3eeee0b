"""The policies' METADATA blocks and the lint configuration are kept in the cache folder: a run whose texts are all known reads no YAML."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import yamlio
from generator.cache import DataMemo
from generator.errors import InputError
from generator.lint.config import CONFIG_MEMO, load_config
from generator.lint.policy import METADATA_MEMO, builtin_pack, load_policies


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

    (cache / METADATA_MEMO).write_bytes(b"\x00not json")
    reads.clear()
    assert {check.id: check for check in load_policies([str(pack)], cache).checks} == checks
    assert len(reads) >= 80


def test_a_block_json_cannot_hold_exactly_is_not_kept(tmp_path: Path) -> None:
    memo = DataMemo(tmp_path, METADATA_MEMO)
    memo.put("title: t\ncustom: {until: 2030-01-01}", {"title": "t", "custom": {"until": date(2030, 1, 1)}})
    memo.put("title: u", {"title": "u"})
    memo.save()
    again = DataMemo(tmp_path, METADATA_MEMO)
    assert again.get("title: u") == {"title": "u"}
    assert again.get("title: t\ncustom: {until: 2030-01-01}") is None


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parses: list[str] = []
    for name in ("load_fast", "load_documents"):
        original = getattr(yamlio, name)

        def counted(text: str, path: str = "<stdin>", __original=original) -> list:  # type: ignore[no-untyped-def]
            parses.append(path)
            return __original(text, path)

        monkeypatch.setattr(yamlio, name, counted)
    return parses


def test_the_lint_configuration_is_read_once_then_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file = builtin_pack() / "config.yaml"
    parses = counting_parses(monkeypatch)
    first = load_config(config_file, tmp_path)
    assert parses
    parses.clear()
    assert load_config(config_file, tmp_path) == first
    assert parses == []
    assert first == load_config(config_file)  # read again without a cache folder: the same configuration


def test_a_changed_configuration_is_read_again_and_its_errors_name_their_line(tmp_path: Path) -> None:
    config_file, cache = tmp_path / "config.yaml", tmp_path / "cache"
    config_file.write_text("environments:\n  prod:\n    severity:\n      run-as-non-root: warning\n")
    assert load_config(config_file, cache).severity("run-as-non-root", "error", "prod") == "warning"
    config_file.write_text("environments:\n  prod:\n    severity:\n      run-as-non-root: loud\n")
    with pytest.raises(InputError) as raised:
        load_config(config_file, cache)
    assert (raised.value.line, raised.value.message) == (4, "severity of run-as-non-root must be one of error, warning, off, not 'loud'")
    (cache / CONFIG_MEMO).write_bytes(b"[not a mapping]")
    config_file.write_text("environments:\n  prod:\n    severity:\n      run-as-non-root: off\n")
    assert load_config(config_file, cache).severity("run-as-non-root", "error", "prod") == "off"
    assert load_config(config_file, cache).severity("run-as-non-root", "error", "prod") == "off"  # YAML 1.1's false, kept
