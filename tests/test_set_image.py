"""set-image: one value changes, every other byte of the file stays; then the app is re-rendered."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import InputError
from generator.publish.set_image import plan_image_edit, write_edit

DIGEST = "sha256:" + "4f2b" * 16

BLUEPRINT = """\
# TARA2 AI-Prism public API.
name: ai-prism-api   # the app's name everywhere
team: ai-prism
image:
    repository: ai-prism/api
    # bumped by CI through `gitopsgen set-image`
    tag: 'v2.1.0'    # keep quotes
    pullPolicy: Always
ports:
-   name: http
    port: 8080
"""

OVERLAY = """\
# Staging: scaled-down prod.
order: 20
publish: direct
apps:
  virtualagent-platform: {replicas: 2}   # flow style stays flow style
  ai-prism-api:
    # half of prod
    autoscaling:
      minReplicas: 5
"""


def project(tmp_path: Path, blueprint: str = BLUEPRINT, overlay: str = OVERLAY) -> Path:
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "overlays").mkdir()
    (tmp_path / "blueprints" / "ai-prism-api.yaml").write_text(blueprint)
    (tmp_path / "blueprints" / "virtualagent-platform.yaml").write_text(
        "name: virtualagent-platform\nimage: {repository: ihcl/virtualagent, tag: v1}\n")
    (tmp_path / "overlays" / "staging.yaml").write_text(overlay)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_existing_tag_changes_in_place_and_nothing_else_moves(tmp_path: Path) -> None:
    root = project(tmp_path)

    edit = plan_image_edit(root, "ai-prism-api", "v2.1.1")
    write_edit(edit)

    assert (root / "blueprints/ai-prism-api.yaml").read_text() == BLUEPRINT.replace("'v2.1.0'", "'v2.1.1'")
    assert (edit.field, edit.old, edit.new) == ("image.tag", "v2.1.0", "v2.1.1")


def test_tag_that_would_read_as_a_number_is_quoted(tmp_path: Path) -> None:
    root = project(tmp_path, blueprint=BLUEPRINT.replace("'v2.1.0'", "v2.1.0"))

    write_edit(plan_image_edit(root, "ai-prism-api", "1.10"))

    assert (root / "blueprints/ai-prism-api.yaml").read_text() == BLUEPRINT.replace("'v2.1.0'", '"1.10"')


def test_env_override_is_created_keeping_comments_order_and_flow_style(tmp_path: Path) -> None:
    root = project(tmp_path)

    write_edit(plan_image_edit(root, "ai-prism-api", "v2.1.1", env="staging"))

    after = (root / "overlays/staging.yaml").read_text()
    operations = difflib.SequenceMatcher(None, OVERLAY.splitlines(), after.splitlines()).get_opcodes()
    assert [op for op, *_ in operations] == ["equal", "insert"]  # every original line kept, in order
    assert after == OVERLAY + "    image:\n      tag: v2.1.1\n"


def test_existing_env_override_in_flow_style_is_spliced(tmp_path: Path) -> None:
    overlay = OVERLAY.replace("  ai-prism-api:\n", '  ai-prism-api:\n    image: {tag: "v2.0.9"}  # pinned\n')
    root = project(tmp_path, overlay=overlay)

    write_edit(plan_image_edit(root, "ai-prism-api", "v2.1.1", env="staging"))

    assert (root / "overlays/staging.yaml").read_text() == overlay.replace('"v2.0.9"', '"v2.1.1"')


def test_digest_takes_the_place_of_the_tag(tmp_path: Path) -> None:
    root = project(tmp_path)

    edit = plan_image_edit(root, "ai-prism-api", DIGEST)
    write_edit(edit)

    after = (root / "blueprints/ai-prism-api.yaml").read_text()
    assert "tag:" not in after
    # only the key and the value change: quotes, comment, indentation and every other line stay
    assert after == BLUEPRINT.replace("    tag: 'v2.1.0'", f"    digest: '{DIGEST}'")
    assert (edit.field, edit.old) == ("image.digest", "v2.1.0")


@pytest.mark.parametrize(
    ("app", "value", "env", "message"),
    [
        ("ai-prism-apj", "v2", None, "unknown app 'ai-prism-apj' (did you mean 'ai-prism-api'?)"),
        ("ai-prism-api", "v2", "qa", "unknown environment 'qa'; known: staging"),
        ("ai-prism-api", "v2+build", None, "is not a valid image tag"),
        ("ai-prism-api", "sha256:abc", None, "is not an image digest"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path: Path, app: str, value: str, env: str | None,
                                                         message: str) -> None:
    root = project(tmp_path)
    before = snapshot(root)
    args = ["set-image", app, value, "-C", str(root)] + (["--env", env] if env else [])

    result = CliRunner().invoke(cli, args)

    assert result.exit_code == 2
    assert message in result.output and result.output.count("\n") == 1 and result.output.startswith("error: ")
    assert snapshot(root) == before
    with pytest.raises(InputError):
        plan_image_edit(root, app, value, env)


def test_set_image_for_an_env_re_renders_that_app(example_project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["render", "-C", str(example_project)]).exit_code == 0
    rendered = example_project / "rendered"
    before = snapshot(rendered)

    result = runner.invoke(cli, ["set-image", "ai-prism-api", "v2.1.1", "--env", "staging", "-C", str(example_project)])

    assert result.exit_code == 0, result.output
    after = snapshot(rendered)
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert changed == ["ai-prism-api/overlays/staging/kustomization.yaml"]
    assert b"newTag: v2.1.1" in after[changed[0]]


def test_replacing_a_tag_by_a_digest_says_so(tmp_path: Path) -> None:
    root = project(tmp_path)

    result = CliRunner().invoke(cli, ["set-image", "ai-prism-api", DIGEST, "--no-render", "-C", str(root)])

    assert result.exit_code == 0, result.output
    assert result.output == f"blueprints/ai-prism-api.yaml: image tag v2.1.0 -> digest {DIGEST}\n"


def test_the_app_is_found_by_its_name_through_the_project_loader(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "blueprints" / "ai-prism-api.yaml").rename(root / "blueprints" / "prism.yaml")

    edit = plan_image_edit(root, "ai-prism-api", "v2.1.1")

    assert edit.path == root / "blueprints" / "prism.yaml" and edit.old == "v2.1.0"


def test_a_broken_project_is_reported_at_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    root = project(tmp_path, overlay=OVERLAY.replace("order: 20", "order: twenty"))
    before = snapshot(root)

    result = CliRunner().invoke(cli, ["set-image", "ai-prism-api", "v2.1.1", "-C", str(root)])

    assert result.exit_code == 2 and result.output.startswith("error: overlays/staging.yaml:2: ")
    assert snapshot(root) == before


def test_a_crlf_file_stays_crlf_and_only_the_image_line_changes(tmp_path: Path) -> None:
    crlf = BLUEPRINT.replace("\n", "\r\n").replace("    pullPolicy: Always\r\n", "    pullPolicy:    Always\r\n")
    root = project(tmp_path, blueprint=crlf)

    write_edit(plan_image_edit(root, "ai-prism-api", DIGEST))

    after = (root / "blueprints/ai-prism-api.yaml").read_bytes().decode()
    assert after == crlf.replace("    tag: 'v2.1.0'", f"    digest: '{DIGEST}'")
    assert after.count("\r\n") == after.count("\n")


def test_a_crlf_file_edited_through_the_round_trip_keeps_crlf(tmp_path: Path) -> None:
    overlay = OVERLAY.replace("\n", "\r\n")
    root = project(tmp_path, overlay=overlay)

    write_edit(plan_image_edit(root, "ai-prism-api", "v9", env="staging"))  # creates apps.ai-prism-api.image

    after = (root / "overlays/staging.yaml").read_bytes().decode()
    assert after.count("\r\n") == after.count("\n") and "tag: v9\r\n" in after
    assert "  virtualagent-platform: {replicas: 2}   # flow style stays flow style\r\n" in after


@pytest.mark.parametrize("tag", ["1234e56", "1e3", "0o17", "09", "1_000", "0x1F", "123"])
def test_a_tag_that_yaml_1_2_or_go_yaml_reads_as_a_number_is_quoted(tmp_path: Path, tag: str) -> None:
    root = project(tmp_path, blueprint=BLUEPRINT.replace("'v2.1.0'", "v2.1.0"))

    write_edit(plan_image_edit(root, "ai-prism-api", tag))

    assert f'    tag: "{tag}"    # keep quotes\n' in (root / "blueprints/ai-prism-api.yaml").read_text()
