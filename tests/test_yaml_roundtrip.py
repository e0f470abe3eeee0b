"""Every string gitopsgen writes reads back as the same string in YAML 1.1, YAML 1.2 and go-yaml.

The in-process readers (PyYAML for 1.1, ruamel.yaml and the native loader for 1.2) take many
generated strings; the go-yaml readers are the real ones, ``kubectl kustomize`` and ``helm
template``, run on rendered projects whose image tags and env values are generated, biased
towards what looks like a number, a boolean or a null to some reader (``1234e56``, ``0o17``, ``09``,
``1_000``, ``y``, ``.NaN``...). The blueprint loader is fuzzed too: any text is either a project or
one line naming the file, never a crash.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import yaml_rs
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from test_badinput import BASE
from test_helm_chart import CHART

from generator import yamlio
from generator.cli import cli
from generator.errors import InputError
from generator.load import load_project

NUMBERISH = st.one_of(
    st.from_regex(r"[-+]?[0-9][0-9_]{0,4}(\.[0-9_]{0,3})?([eE][-+]?[0-9]{1,3})?", fullmatch=True),
    st.from_regex(r"[-+]?\.[0-9]{1,3}([eE][0-9]{1,2})?", fullmatch=True),
    st.from_regex(r"[-+]?0[xXoObB][0-9a-fA-F_]{1,6}", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}(:[0-5][0-9]){1,2}", fullmatch=True),
    st.sampled_from(["y", "Y", "n", "N", "yes", "No", "ON", "off", "True", "FALSE", "null", "Null", "~", "",
                     ".inf", "-.Inf", ".NaN", "nan", "Infinity", "0", "00", "-0", "1e3", "1234e56", "0o17", "09"]),
)
TAG = st.one_of(NUMBERISH.filter(lambda s: s[:1].isalnum() and all(c.isalnum() or c in "._-" for c in s)),
                st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True))
# Env values: anything printable (no braces: blueprints substitute {env}, {domain}...)
PRINTABLE = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="{}"), max_size=16)
VALUE = st.one_of(NUMBERISH, PRINTABLE)


def _ruamel(text: str) -> object:
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


@settings(max_examples=400, deadline=None)
@given(st.one_of(NUMBERISH, PRINTABLE, st.text(max_size=12)))
def test_a_written_string_reads_back_as_itself_in_yaml_1_1_and_1_2(value: str) -> None:
    text = yamlio.dump({"v": value, "list": [value]})
    expected = {"v": value, "list": [value]}
    assert yaml.safe_load(text) == expected  # YAML 1.1 (PyYAML)
    assert _ruamel(text) == expected  # YAML 1.2 (ruamel.yaml)
    assert yaml_rs.loads(text, parse_datetime=False) == expected  # YAML 1.2 (the native loader)
    assert yamlio.load_documents(text)[0].data == expected  # our own reader


@pytest.mark.parametrize("value", ["1234e56", "1e3", "0o17", "09", "1_000", "0b101", "y", "N", ".NaN", "1:30"])
def test_number_like_strings_are_quoted(value: str) -> None:
    assert yamlio.dump({"v": value}) == f"v: '{value}'\n"


def _project(root: Path, tags: list[str], values: list[str]) -> Path:
    shutil.copytree(BASE, root)
    web = yaml.safe_load((root / "blueprints" / "web.yaml").read_text())
    (root / "blueprints" / "web.yaml").unlink()
    for index, tag in enumerate(tags):
        blueprint = {**web, "name": f"app{index}", "image": {"repository": f"shop/app{index}", "tag": tag},
                     "env": [{"name": f"V{position}", "value": value} for position, value in enumerate(values)]}
        if index % 2:
            blueprint.update({"delivery": "helm", "helm": {"chart": {"repoURL": "https://charts.example.com/x",
                                                                   "name": "service", "version": "1.4.0"}}})
        (root / "blueprints" / f"app{index}.yaml").write_text(yaml.safe_dump(blueprint, sort_keys=False))
    return root


def _container(objects: list[dict]) -> dict:
    deployment = next(obj for obj in objects if obj and obj["kind"] == "Deployment")
    return deployment["spec"]["template"]["spec"]["containers"][0]


@pytest.mark.tools
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tags=st.lists(TAG, min_size=4, max_size=4), values=st.lists(VALUE, min_size=1, max_size=6))
@example(tags=["0", "1234e56", "1e3", "09"], values=["1.E+500", "0o17", "1_000", "y"])  # 1.E+500: found by CI
@example(tags=["y", "0", "0", "0"], values=["0", "0b_", "0x_", "+0b_"])  # found by the full suite
def test_kustomize_and_helm_read_generated_tags_and_env_values_back(tags: list[str], values: list[str], kubectl: str,
                                                                     helm: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = _project(tmp_path_factory.mktemp("roundtrip") / "project", tags, values)
    result = CliRunner().invoke(cli, ["render", "-C", str(root)])
    assert result.exit_code == 0, result.output
    for index, tag in enumerate(tags):
        app = f"app{index}"
        if index % 2:
            command = [helm, "template", app, str(CHART), "--namespace", "shop-dev",
                       "--values", str(root / "rendered" / app / "helm" / "values-dev.yaml")]
        else:
            command = [kubectl, "kustomize", str(root / "rendered" / app / "overlays" / "dev")]
        built = subprocess.run(command, capture_output=True, text=True)
        assert built.returncode == 0, built.stderr  # go-yaml read what we wrote
        # go-yaml wrote it back, quoted as it needs; gitopsgen reads it as go-yaml does (1.E+500, 0b_: strings)
        container = _container(yamlio.load_data(built.stdout))
        assert container["image"] == f"shop/{app}:{tag}"
        env = {item["name"]: item.get("value") for item in container.get("env", [])}
        assert [env[f"V{position}"] for position in range(len(values))] == values


# --- the blueprint loader under fuzzing -----------------------------------------------------------

YAMLISH = st.recursive(
    st.one_of(NUMBERISH, PRINTABLE, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(PRINTABLE, children, max_size=4)),
    max_leaves=20,
)


def _loads_or_says_where(root: Path) -> None:
    try:
        load_project(root)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith("blueprints/fuzz.yaml"), message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
@example(text="?")  # a key that is not a string ({None: None}) once stopped the schema check with a traceback
@example(text="1: x")
def test_any_text_as_a_blueprint_loads_or_fails_with_one_line(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(BASE, root)
    (root / "blueprints" / "fuzz.yaml").write_text(text)
    _loads_or_says_where(root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(["name", "team", "owner", "image", "ports", "env", "replicas", "probes",
                                             "resources", "ingress", "labels", "annotations", "environments"]),
                            YAMLISH, max_size=6))
def test_any_mapping_as_a_blueprint_loads_or_fails_with_one_line(data: dict, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(BASE, root)
    (root / "blueprints" / "fuzz.yaml").write_text(yaml.safe_dump({"name": "fuzz", **data}, sort_keys=False))
    _loads_or_says_where(root)
