"""Lint speed: `gitopsgen lint --env prod DIR` against checkov on the same synthetic estates.

The estate is 100 apps x 3 environments x (Deployment, Service, HPA, PDB, NetworkPolicy,
ServiceAccount) = 1,800 documents, written to a temporary folder outside the repository; it
lints clean with every rule of the built-in pack. In the estate with findings two apps in five
(40 of 100, in each environment) have a finding in five of their six documents (an unpinned
image, a NodePort Service, an HPA floor of one, which the PDB then blocks, a namespace selected
by a label it does not carry): 600 of the 1,800 documents, a third.
checkov is installed on first run into .bench/checkov-venv (a virtualenv of its own, so
its pins never touch ours), and gitopsgen, as users run it, into .bench/gitopsgen-venv (installed.py). Targets: gitopsgen at least 30x faster than checkov on the clean
estate and 20x on the estate with findings.

Run alone with `python tests/bench/bench_lint.py`, or through tests/bench/run.py. Both tools
run several times in the same session, interleaved (the machine is shared: the spread matters);
the ratio is taken between medians. gitopsgen runs first once with an empty cache (it compiles
the built-in pack, generator/lint/compiled.py), reported on its own line; the timed runs read
the cached program, as every later run on a machine does.

`python tests/bench/bench_lint.py --findings-against REV` checks that a change is a pure speed-up:
it lints the estate with broken documents mixed in (every rule fires somewhere) and the test
fixtures, with this tree and with REV (a git worktree), and compares the JSON reports.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import installed
import scratch

REPO = Path(__file__).resolve().parents[2]
CHECKOV_VENV = REPO / ".bench" / "checkov-venv"
ENGINES_VENV = REPO / ".bench" / "engines-venv"  # regorus and regopy side by side (tests/bench/engines.py)
# both engines, and what engines.py needs of gitopsgen to build the batch (its loader, the driver, the checked lint configuration)
ENGINES_PACKAGES = ["gordon-to-regorus>=0.13,<0.14", "regopy", "PyYAML", "orjson", "yaml-rs>=0.1.6,<0.2", "jsonschema-rs>=0.20"]
APPS, ENVS = 100, ("dev", "staging", "prod")
CHECKOV_RUNS, RUNS_PER_CHECKOV = 3, 3  # interleaved: 9 runs of gitopsgen lint
TARGETS = {"clean": 30, "with findings": 20}  # times faster than checkov, ratio of medians
# A finding line: file:line:col: Kind/name in env: ... [rule-id]
FINDING = re.compile(r"^(\S+?):\d+:\d+: (\S+) in .* \[[a-z0-9-]+\]$", re.MULTILINE)


def estate_objects(app: str, env: str, index: int = 0) -> list[dict[str, Any]]:
    """The six objects of one app in one environment, hardened like the renderer's output."""
    namespace = f"{app}-{env}"
    labels = {"app.kubernetes.io/name": app}
    meta = {"name": app, "namespace": namespace, "labels": labels}
    probe = {"httpGet": {"path": "/health", "port": "http"}, "periodSeconds": 10}
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
        "spec": {
            "selector": {"matchLabels": labels},  # no replicas: the HPA sets them
            "template": {"metadata": {"labels": labels}, "spec": {
                "serviceAccountName": app, "automountServiceAccountToken": False,
                "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
                "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                               "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": labels}}],
                "containers": [{
                    "name": app, "image": f"example/{app}:v1.4.2@sha256:{index:064x}",
                    "ports": [{"name": "http", "containerPort": 8080}],
                    "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}},
                    "livenessProbe": probe, "readinessProbe": probe,
                    "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                        "capabilities": {"drop": ["ALL"]}},
                }],
            }},
        },
    }
    service = {"apiVersion": "v1", "kind": "Service", "metadata": meta,
               "spec": {"selector": labels, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta, "spec": {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": app}, "minReplicas": 3, "maxReplicas": 20,
        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}}
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta,
           "spec": {"minAvailable": 2, "selector": {"matchLabels": labels}}}
    dns = {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                   "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
           "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}
    policy = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta, "spec": {
        "podSelector": {"matchLabels": labels}, "policyTypes": ["Ingress", "Egress"],
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}]}],
        "egress": [dns, {"ports": [{"port": 443, "protocol": "TCP"}]}]}}
    account = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta, "automountServiceAccountToken": False}
    return [deployment, service, hpa, pdb, policy, account]


Alteration = Callable[[list[dict[str, Any]], str, str, int], list[dict[str, Any]]]


def write_estate(folder: Path, alter: Alteration | None = None) -> int:
    """Write the estate, one file per app and environment: ``alter(objects, app, env, index)`` may change an
    app's objects first. Returns the number of documents."""
    import yaml

    count = 0
    for env in ENVS:
        (folder / env).mkdir(parents=True, exist_ok=True)
        for index in range(APPS):
            app = f"app-{index:03d}"
            objects = estate_objects(app, env, index)
            if alter is not None:
                objects = alter(objects, app, env, index)
            (folder / env / f"{app}.yaml").write_text(yaml.safe_dump_all(objects, sort_keys=False))
            count += len(objects)
    return count


def write_findings_estate(folder: Path) -> int:
    """The estate where two apps in five have a finding in five of their six documents (a third of the documents)."""
    return write_estate(folder, with_findings)


def with_findings(objects: list[dict[str, Any]], app: str, env: str, index: int) -> list[dict[str, Any]]:
    if index % 5 >= 2:
        return objects
    deployment, service, hpa, pdb, policy, _ = objects
    deployment["spec"]["template"]["spec"]["containers"][0]["image"] = f"example/{app}:v1.4.2"  # image-digest-prod
    service["spec"]["type"] = "NodePort"  # service-type
    hpa["spec"]["minReplicas"] = 1  # hpa-min-replicas-prod, and the PDB's minAvailable 2 blocks evictions
    policy["spec"]["ingress"] = [{"from": [{"namespaceSelector": {"matchLabels": {"name": "ingress-nginx"}}}]}]  # namespace label
    return objects


def write_broken_estate(folder: Path) -> int:
    """The estate with one app in seven broken, each in its own way, so that every rule fires somewhere."""
    return write_estate(folder, broken)


def broken(objects: list[dict[str, Any]], app: str, env: str, index: int) -> list[dict[str, Any]]:
    if index % 7 or env != ENVS[index % 3]:
        return objects
    return broken_objects(app, env, index, (index // 7) % 7)


def broken_objects(app: str, env: str, index: int, way: int) -> list[dict[str, Any]]:
    deployment, service, hpa, pdb, policy, account = objects = estate_objects(app, env, index)
    pod = deployment["spec"]["template"]["spec"]
    container, namespace = pod["containers"][0], deployment["metadata"]["namespace"]
    selector = {"matchLabels": {"app.kubernetes.io/name": app}}
    if way == 0:  # image, securityContext, limits, credentials
        container["image"] = f"example/{app}:latest"
        del container["securityContext"], container["resources"]["limits"]
        container["env"] = [{"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "URL", "value": "https://u:p@db.example"}]
    elif way == 1:  # host access, privileged, capabilities, an init container with nothing set
        pod.update(hostNetwork=True, volumes=[{"name": "host", "hostPath": {"path": "/var"}}],
                   initContainers=[{"name": "init", "image": "busybox"}])
        container["ports"][0]["hostPort"] = 80
        container["securityContext"].update(privileged=True, capabilities={"add": ["SYS_ADMIN"]})
    elif way == 2:  # dangling references
        service["spec"]["selector"] = {"app": "nothing"}
        hpa["spec"]["scaleTargetRef"]["name"] = "ghost"
        policy["spec"]["podSelector"] = {"matchLabels": {"x": "y"}}
    elif way == 3:  # disruption and scaling, with a valid exemption
        pdb["spec"] = {"minAvailable": 5, "selector": selector}
        hpa["spec"].update(minReplicas=1, maxReplicas=0)
        del pod["topologySpreadConstraints"]
        deployment["metadata"] = {**deployment["metadata"], "annotations": {"gitopsgen.io/exempt": "spread-prod: one zone, until 2099-01-01"}}
    elif way == 4:  # no PDB, no NetworkPolicy, no ServiceAccount, probes, root
        objects = [deployment, service, hpa]
        container["livenessProbe"] = {"httpGet": {"path": "/", "port": "nope"}}
        del container["readinessProbe"]
        pod["securityContext"] = {"runAsUser": 0}
    elif way == 5:  # an expired exemption, maxUnavailable 0
        deployment["metadata"] = {**deployment["metadata"], "annotations": {"gitopsgen.io/exempt": "network-policy-coverage: legacy, until 2020-01-01"}}
        pdb["spec"] = {"maxUnavailable": 0, "selector": selector}
        objects = [deployment, service, hpa, pdb, account]
    else:  # other kinds: ConfigMap, Ingress, Argo CD Application, a CronJob without a spec
        objects += [
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": namespace},
             "data": {"api_token": "abc123xyz", "aws": "AKIAABCDEFGHIJKLMNOP"}},
            {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web", "namespace": namespace},
             "spec": {"rules": [{"http": {"paths": [
                 {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": app, "port": {"number": 9999}}}},
                 {"path": "/x", "pathType": "Prefix", "backend": {"service": {"name": "missing", "port": {"name": "http"}}}}]}}]}},
            {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": app, "namespace": "argocd"},
             "spec": {"source": {"repoURL": "https://git.example/apps", "path": "rendered/nope", "targetRevision": "HEAD"},
                      "syncPolicy": {"automated": {"prune": True}}}},
            {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report"}, "spec": {}},
        ]
    return objects


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, completed


def venv_with(venv: Path, packages: list[str], executable: str, report: Callable[[str], None]) -> Path:
    """``venv/bin/<executable>``, with ``packages`` installed (on first run, and again when the list changes)."""
    binary, stamp = venv / "bin" / executable, venv / ".packages"
    if not binary.exists() or not stamp.exists() or stamp.read_text() != "\n".join(packages):
        report(f"installing {', '.join(packages)} into {venv.relative_to(REPO)} (first run only)...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *packages],
                       check=True, capture_output=True)
        stamp.write_text("\n".join(packages))
    return binary


def compare_engines(estate: Path, report: Callable[[str], None]) -> str | None:
    """Report regorus and regopy on the same checks; the reason it could not, if it failed (a failure of the bench)."""
    python = venv_with(ENGINES_VENV, ENGINES_PACKAGES, "python", report)
    output = estate.parent / "engines.json"
    completed = subprocess.run([str(python), str(Path(__file__).with_name("engines.py")), str(estate), str(REPO / "policies"),
                                str(output)], capture_output=True, text=True)
    if completed.returncode != 0:  # named by its last line of error (an import gitopsgen gained, say)
        return f"the engines comparison failed: {(completed.stderr.strip().splitlines() or ['no output'])[-1]}"
    measured = json.loads(output.read_text())
    for engine, outcome in measured["correctness"].items():
        report(f"{engine}: {outcome['passed']}/{outcome['of']} Gatekeeper/conftest cases answered as OPA does")
        for case in outcome["cases"]:
            if case["verdict"] != "ok":
                report(f"    {case['case']}: {case['verdict']}")
    speed = measured["speed"]
    for engine in ("regorus", "regopy"):
        timing = speed[engine]
        figure = f"{timing['seconds']:.2f}s" if "seconds" in timing else f"failed ({timing['error']})"
        report(f"{engine}: built-in pack ({speed['rules']} rules) over {speed['documents']} documents: {figure}")
    return None


def run(report: Callable[[str], None]) -> None:
    gitopsgen = str(installed.gitopsgen(report))  # as users run it: installed, not the development install
    missed = []
    with scratch.folder("gitopsgen-bench-lint-") as tmp:
        estates = {"clean": Path(tmp) / "estate", "with findings": Path(tmp) / "findings"}
        documents = write_estate(estates["clean"])
        assert write_findings_estate(estates["with findings"]) == documents
        os.sync()  # the estates on disk before any run is timed: their write-back would otherwise fall within the runs
        # the compiled built-in pack is cached (generator/lint/compiled.py): the first run, with an
        # empty cache, compiles it; the timed runs then read it, as every later run on a machine does
        cached = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}  # lint's default --cache-dir is in it
        first, result = timed(lint_command(gitopsgen, estates["clean"]), cached)
        if result.returncode not in (0, 1):
            raise RuntimeError(f"gitopsgen lint failed: {result.stderr.strip()}")
        report(f"gitopsgen lint, first run (empty cache: compiles the built-in pack): {first:.2f}s")
        checkov = venv_with(CHECKOV_VENV, ["checkov"], "checkov", report)
        for name, estate in estates.items():
            ours, theirs, result = interleaved(lint_command(gitopsgen, estate), checkov, estate, cached)
            summary = result.stdout.strip().splitlines()[-1]
            findings = FINDING.findall(result.stdout)
            report(f"{name}: gitopsgen lint: {documents} documents, {len(set(findings))} with findings, {len(findings)} findings, "
                   f"{spread(ours)} ({summary})")
            report(f"{name}: checkov -d DIR --framework kubernetes: {spread(theirs)}")
            ratio = statistics.median(theirs) / statistics.median(ours)
            target = TARGETS[name]
            report(f"{name}: gitopsgen lint is {ratio:.1f}x faster than checkov (medians; best runs {min(theirs) / min(ours):.1f}x; target >= {target}x)")
            if ratio < target:
                missed.append(f"lint ({name}): {ratio:.1f}x checkov's speed is below {target}x")
        failure = compare_engines(estates["clean"], report)
        if failure:
            missed.append(failure)
    assert not missed, "; ".join(missed)


def lint_command(gitopsgen: str, estate: Path) -> list[str]:
    return [gitopsgen, "lint", "--env", "prod", "--summary", str(estate)]


def interleaved(lint: list[str], checkov: Path, estate: Path, env: dict[str, str]) -> tuple[list[float], list[float], Any]:
    """Wall times of ours and checkov's, interleaved (one checkov run, then RUNS_PER_CHECKOV of ours) so that both
    see the same machine: on a shared machine a slow minute would otherwise fall on one tool only."""
    quiet_env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    checkov_command = [str(checkov), "-d", str(estate), "--framework", "kubernetes", "--quiet", "--compact",
                       "--skip-download", "--output", "cli"]
    ours: list[float] = []
    theirs: list[float] = []
    result = None
    for _ in range(CHECKOV_RUNS):
        seconds, checkov_result = timed(checkov_command, quiet_env)
        if checkov_result.returncode not in (0, 1):
            raise RuntimeError(f"checkov failed: {checkov_result.stderr.strip()[-500:]}")
        theirs.append(seconds)
        times, result = repeat(lint, RUNS_PER_CHECKOV, env)
        if result.returncode not in (0, 1):
            raise RuntimeError(f"gitopsgen lint failed: {result.stderr.strip()}")
        ours += times
    return ours, theirs, result


def repeat(command: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[list[float], subprocess.CompletedProcess[str]]:
    """Wall times of ``runs`` runs of ``command``, and the last run's result."""
    times = []
    for _ in range(runs):
        seconds, result = timed(command, env)
        times.append(seconds)
    return times, result


def spread(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f}s (best {min(times):.2f}s, worst {max(times):.2f}s, {len(times)} runs)"


def findings_against(revision: str, report: Callable[[str], None]) -> bool:
    """Lint the broken estate and the fixtures with this tree and with ``revision``; True when every report matches."""
    with scratch.folder("gitopsgen-bench-findings-") as tmp:
        estate, old_tree = Path(tmp) / "estate", Path(tmp) / "old"
        documents = write_broken_estate(estate)
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(old_tree), revision], check=True)
        try:
            same = True
            for env in ENVS:
                for target in (estate, REPO / "tests" / "fixtures" / "lint"):
                    command = [sys.executable, "-c", "from generator.cli import main; main()", "lint", "--env", env, "--output", "json",
                               "--config", str(REPO / "policies" / "config.yaml"), str(target)]
                    new, old = (subprocess.run(command, capture_output=True, text=True, cwd=tmp,
                                               env={**os.environ, "PYTHONPATH": str(tree)}) for tree in (REPO, old_tree))
                    findings = sum(len(r["findings"]) for r in json.loads(new.stdout)["resources"]) if new.stdout else 0
                    match = (new.returncode, new.stdout, new.stderr) == (old.returncode, old.stdout, old.stderr)
                    same &= match
                    report(f"{env} {target.name}: {findings} findings, exit {new.returncode}: {'identical' if match else 'DIFFERENT'}")
            report(f"{documents} documents in the broken estate; reports {'identical' if same else 'differ'} to {revision}")
            return same
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old_tree)], check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--findings-against"]:
        sys.exit(0 if findings_against(sys.argv[2], print) else 1)
    from run import byte_compile

    byte_compile()
    run(print)
