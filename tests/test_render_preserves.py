"""render never alters what the user keeps in rendered/: symlinks (dangling ones too), FIFOs, empty
folders, modes; and one render at a time.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_badinput import BASE, snapshot

from generator.cli import cli
from generator.errors import InputError
from generator.render import writer


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    assert CliRunner().invoke(cli, ["render", "-C", str(root)]).exit_code == 0
    return root


def user_entries(rendered: Path, outside: Path) -> None:
    """What a user may keep beside the generated files."""
    outside.write_text("secret outside the repository\n")
    (rendered / "notes").mkdir()
    (rendered / "notes" / "empty").mkdir()
    (rendered / "notes" / "README.md").write_text("hand-written\n")
    (rendered / "notes" / "README.md").chmod(0o640)
    (rendered / "notes" / "link-out").symlink_to(outside)
    (rendered / "notes" / "dangling").symlink_to("nowhere.yaml")
    (rendered / "web" / "link-to-folder").symlink_to("base", target_is_directory=True)
    os.mkfifo(rendered / "notes" / "pipe")
    (rendered / "notes").chmod(0o750)
    rendered.chmod(0o755)


def test_render_keeps_symlinks_fifos_empty_folders_and_modes_exactly(project: Path, tmp_path: Path) -> None:
    rendered = project / "rendered"
    user_entries(rendered, tmp_path / "outside.txt")
    blueprint = project / "blueprints" / "web.yaml"
    blueprint.write_text(blueprint.read_text().replace("tag: v1.0.0", "tag: v1.0.1"))
    kept = {path: entry for path, entry in snapshot(rendered).items()
            if not path.startswith(("web/base", "web/overlays", "argocd/", "web/helm")) or "link" in path}

    result = CliRunner().invoke(cli, ["render", "-C", str(project)])

    assert result.exit_code == 0, result.output
    after = snapshot(rendered)
    assert {path: after.get(path) for path in kept} == kept  # same type, mode, bytes, link target
    assert os.readlink(rendered / "notes" / "link-out") == str(tmp_path / "outside.txt")
    assert stat.S_ISFIFO((rendered / "notes" / "pipe").lstat().st_mode)
    assert stat.S_IMODE(rendered.stat().st_mode) == 0o755
    assert "v1.0.1" in (rendered / "web" / "base" / "deployment.yaml").read_text()


def test_a_render_that_changes_nothing_leaves_the_tree_alone(project: Path, tmp_path: Path) -> None:
    rendered = project / "rendered"
    user_entries(rendered, tmp_path / "outside.txt")
    before = snapshot(rendered)

    assert CliRunner().invoke(cli, ["render", "-C", str(project)]).exit_code == 0
    assert CliRunner().invoke(cli, ["render", "--check", "-C", str(project)]).exit_code == 0
    assert snapshot(rendered) == before


def test_a_second_render_while_one_runs_says_so_and_changes_nothing(project: Path) -> None:
    blueprint = project / "blueprints" / "web.yaml"
    blueprint.write_text(blueprint.read_text().replace("tag: v1.0.0", "tag: v2.0.0"))
    before = snapshot(project / "rendered")
    held = os.open(project, os.O_RDONLY | os.O_DIRECTORY)  # what a running render holds
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = CliRunner().invoke(cli, ["render", "-C", str(project)])
    finally:
        os.close(held)

    assert result.exit_code == 2
    assert result.output == ("error: rendered: another render is running in this project; "
                             "wait for it to finish and run again\n")
    assert snapshot(project / "rendered") == before
    assert CliRunner().invoke(cli, ["render", "-C", str(project)]).exit_code == 0  # the lock died with its holder


def test_the_lock_is_released_when_the_render_fails(project: Path) -> None:
    with pytest.raises(InputError):
        with writer.render_lock(project):
            raise InputError("boom")
    with writer.render_lock(project):
        pass


def test_a_first_render_makes_rendered_as_mkdir_would(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    umask = os.umask(0o022)
    try:
        assert CliRunner().invoke(cli, ["render", "-C", str(root)]).exit_code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE((root / "rendered").stat().st_mode) == 0o755
