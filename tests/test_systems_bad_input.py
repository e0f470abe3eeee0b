"""Bad input in the richer blueprint fields: one line naming file:line and what to do, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_render import assert_refused, run, snapshot_tree

APP = "image: {repository: x/y, tag: v1}\nports: [{name: http, port: 80}]\n"

BAD_INPUTS = {
    "unknown monitoring field": (
        APP + "monitoring:\n  rule: []\n",
        "blueprints/bad.yaml:4: unknown field 'monitoring.rule' (did you mean 'rules'?)"),
    "alert without severity": (
        APP + "monitoring:\n  rules:\n    - alert: Down\n      expr: up == 0\n",
        "blueprints/bad.yaml:5: alert 'Down' needs a severity (critical, warning or info); add one"),
    "recording rule with for": (
        APP + "monitoring:\n  rules:\n    - record: a:b\n      expr: up\n      for: 5m\n",
        "blueprints/bad.yaml:7: recording rule 'a:b' cannot have 'for' (alerts only); remove it"),
    "rule that is neither alert nor record": (
        APP + "monitoring:\n  rules:\n    - expr: up\n",
        "blueprints/bad.yaml:5: monitoring.rules.0: set exactly one of alert, record"),
    "dashboard without title": (
        APP + "monitoring:\n  dashboards:\n    - name: board\n      dashboard: {panels: []}\n",
        "blueprints/bad.yaml:6: missing required field 'monitoring.dashboards.0.dashboard.title'; add it"),
    "unknown rollout strategy": (
        APP + "rollout:\n  strategy: Canary\n",
        "blueprints/bad.yaml:4: rollout.strategy: \"Canary\" is not one of"),
    "argo metric without successCondition": (
        APP + "rollout:\n  strategy: canary\n  analysis:\n    metrics:\n      - name: ok\n        query: up\n",
        "blueprints/bad.yaml:7: argo-rollouts metric 'ok' needs 'successCondition'; add it"),
    "flagger metric with successCondition": (
        APP + "rollout:\n  controller: flagger\n  strategy: canary\n  analysis:\n    metrics:\n"
        "      - {name: request-success-rate, successCondition: x}\n",
        "blueprints/bad.yaml:8: flagger metrics take min/max, not successCondition; replace it"),
    "flagger custom metric without query": (
        APP + "rollout:\n  controller: flagger\n  strategy: canary\n  analysis:\n    metrics:\n      - {name: latency, max: 5}\n",
        "blueprints/bad.yaml:8: flagger metric 'latency' needs a query"),
    "steps on a blue-green rollout": (
        APP + "rollout:\n  strategy: blueGreen\n  steps: [{weight: 20}]\n",
        "blueprints/bad.yaml:5: rollout.steps apply to an argo-rollouts canary"),
    "claim templates on a Deployment": (
        APP + "volumeClaimTemplates:\n  - {name: data, mountPath: /data, size: 1Gi}\n",
        "blueprints/bad.yaml:3: volumeClaimTemplates needs kind: StatefulSet; add it or remove volumeClaimTemplates"),
    "unknown workload kind": (
        APP + "kind: DaemonSet\n",
        "blueprints/bad.yaml:3: kind: \"DaemonSet\" is not one of"),
    "claim template without size": (
        APP + "kind: StatefulSet\nvolumeClaimTemplates:\n  - {name: data, mountPath: /data}\n",
        "blueprints/bad.yaml:5: missing required field 'volumeClaimTemplates.0.size'; add it"),
    "StatefulSet with Recreate": (
        APP + "kind: StatefulSet\nstrategy: {type: Recreate}\n",
        "blueprints/bad.yaml:4: a StatefulSet updates pods one by one (RollingUpdate); remove strategy.type: Recreate"),
    "StatefulSet with an Argo rollout": (
        APP + "kind: StatefulSet\nrollout: {strategy: canary}\n",
        "blueprints/bad.yaml:4: an Argo Rollouts rollout replaces a Deployment, not a StatefulSet"),
    "job with both schedule and hook": (
        APP + "jobs:\n  - {name: backup, schedule: '@daily', hook: PreSync}\n",
        "blueprints/bad.yaml:4: jobs.0"),
    "bad cron schedule": (
        APP + "jobs:\n  - {name: backup, schedule: 'every day'}\n",
        "blueprints/bad.yaml:4: jobs.0.schedule: \"every day\" is not valid"),
    "unknown hook": (
        APP + "jobs:\n  - {name: migrate, hook: PreDeploy}\n",
        "blueprints/bad.yaml:4: jobs.0.hook: \"PreDeploy\" is not one of"),
    "CronJob field on a Job": (
        APP + "jobs:\n  - name: migrate\n    concurrencyPolicy: Forbid\n",
        "blueprints/bad.yaml:5: concurrencyPolicy applies to a CronJob; add a schedule or remove it"),
    "job named twice": (
        APP + "jobs:\n  - {name: migrate}\n  - {name: migrate}\n",
        "blueprints/bad.yaml:5: job 'migrate' is defined twice; rename one"),
    "GPU request without equal limit": (
        APP + "resources:\n  requests: {nvidia.com/gpu: 1}\n",
        "blueprints/bad.yaml:4: nvidia.com/gpu cannot be overcommitted: set limits.nvidia.com/gpu to the same value as the request (1)"),
    "fractional GPU": (
        APP + "resources:\n  limits: {nvidia.com/gpu: 0.5}\n",
        "blueprints/bad.yaml:4: resources.limits.nvidia.com/gpu"),
    "node affinity operator": (
        APP + "nodeAffinity:\n  required: [{key: pool, operator: Equals, values: [gpu]}]\n",
        "blueprints/bad.yaml:4: nodeAffinity.required.0.operator: \"Equals\" is not one of"),
    "shared memory and a /dev/shm volume": (
        APP + "sharedMemory: 1Gi\nvolumes:\n  - {name: shm, mountPath: /dev/shm, emptyDir: {medium: Memory}}\n",
        "blueprints/bad.yaml:5: sharedMemory already mounts volume 'dshm' at /dev/shm; remove this volume"),
    "unknown deletion policy": (
        APP + "externalSecrets:\n  - {name: s, store: {name: x}, dataFrom: [{extract: k}], deletionPolicy: Keep}\n",
        "blueprints/bad.yaml:4: externalSecrets.0.deletionPolicy: \"Keep\" is not one of"),
    "sidecar mounts an undeclared volume": (
        APP + "sidecars:\n  - name: shipper\n    image: {repository: fluent/fluent-bit}\n    volumeMounts: [{name: logs, mountPath: /logs}]\n",
        "blueprints/bad.yaml:6: volume 'logs' is not declared; add it to 'volumes'"),
    "sidecar named like the app's container": (
        APP + "name: bad\nsidecars:\n  - {name: bad, image: {repository: fluent/fluent-bit}}\n",
        "blueprints/bad.yaml:5: container name 'bad' is already used in this pod; rename it"),
    "preStop with two actions": (
        APP + "lifecycle:\n  preStop: {sleep: 5, exec: {command: [x]}}\n",
        "blueprints/bad.yaml:4: lifecycle.preStop: set exactly one of sleep, exec, http"),
    "KEDA triggers without the engine": (
        APP + "autoscaling:\n  minReplicas: 1\n  maxReplicas: 2\n  triggers: [{type: cron, metadata: {start: x}}]\n",
        "blueprints/bad.yaml:6: autoscaling.triggers needs engine: keda; add it or remove triggers"),
    "scale to zero on an HPA": (
        APP + "autoscaling:\n  minReplicas: 0\n  maxReplicas: 2\n",
        "blueprints/bad.yaml:4: scaling to zero needs engine: keda; set minReplicas to 1 or more"),
    "external metric without a target": (
        APP + "autoscaling:\n  minReplicas: 1\n  maxReplicas: 2\n  external: [{metric: depth}]\n",
        "blueprints/bad.yaml:6: autoscaling.external.0: set exactly one of averageValue, value"),
    "updating VPA beside a CPU HPA": (
        APP + "autoscaling: {minReplicas: 2, maxReplicas: 4, cpu: 70}\nverticalScaling: {mode: Auto}\n",
        "blueprints/bad.yaml:4: a VPA that updates pods fights an HPA on cpu/memory"),
    "unknown mTLS mode": (
        APP + "mesh: {mtls: SOMETIMES}\n",
        "blueprints/bad.yaml:3: mesh.mtls: \"SOMETIMES\" is not one of"),
    "port mTLS mode on an undeclared port": (
        APP + "mesh:\n  mtls: STRICT\n  portMtls: {metrics: PERMISSIVE}\n",
        "blueprints/bad.yaml:5: port 'metrics' is not a container port name of the app's pods"),
    "port mTLS mode without mtls": (
        APP + "mesh:\n  portMtls: {http: PERMISSIVE}\n",
        "blueprints/bad.yaml:4: port modes refine mesh.mtls; set mesh.mtls too"),
    "HTTPRoute without a parent": (
        APP + "httpRoute: {hostnames: [a.example.com]}\n",
        "blueprints/bad.yaml:3: missing required field 'httpRoute.parentRefs'; add it"),
    "HTTPRoute to an undeclared port": (
        APP + "httpRoute:\n  parentRefs: [{name: gw}]\n  paths: [{path: /, port: grpc}]\n",
        "blueprints/bad.yaml:5: port 'grpc' is not declared; use a Service or container port name"),
    "VirtualService beside Flagger on Istio": (
        APP + "rollout: {controller: flagger, provider: istio, strategy: canary}\nmesh:\n  virtualService: {hosts: [a]}\n",
        "blueprints/bad.yaml:5: Flagger (provider istio) writes this app's VirtualService"),
    "RBAC verb": (
        APP + "rbac:\n  rules: [{resources: [pods], verbs: [escalate]}]\n",
        "blueprints/bad.yaml:4: rbac.rules.0.verbs.0: \"escalate\" is not one of"),
    "IRSA role that is not an ARN": (
        APP + "serviceAccount: {awsRoleArn: my-role}\n",
        "blueprints/bad.yaml:3: serviceAccount.awsRoleArn: \"my-role\" is not valid"),
}


def test_two_apps_emitting_one_object_differently_is_an_error_naming_both(example_project: Path) -> None:
    before = snapshot_tree(example_project / "rendered")
    store = "secretStores:\n  - name: shared-store\n    aws: {region: REGION}\n"
    for app, region in (("alpha", "us-east-1"), ("beta", "eu-west-1")):
        text = f"name: {app}\nnamespace: team-x\nimage: {{repository: x/{app}, tag: v1}}\n" + store.replace("REGION", region)
        (example_project / "blueprints" / f"{app}.yaml").write_text(text)
    result = run(example_project)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        "error: blueprints/beta.yaml:4: SecretStore team-x-dev/shared-store in dev is also emitted, differently, by "
        "blueprints/alpha.yaml:4; define it once (a shared object belongs in namespaces/<name>.yaml)"]
    assert snapshot_tree(example_project / "rendered") == before


NAMESPACE_BAD_INPUTS = {
    "unknown namespace field": (
        "namespaces/team.yaml", "podSecurity: restricted\nquotas: {pods: '10'}\n",
        "namespaces/team.yaml:2: unknown field 'quotas' (did you mean 'quota'?)"),
    "unknown Pod Security level": (
        "namespaces/team.yaml", "podSecurity: strict\n",
        "namespaces/team.yaml:1: podSecurity: \"strict\" is not one of"),
    "Pod Security label beside podSecurity": (
        "namespaces/team.yaml", "namespaceLabels: {pod-security.kubernetes.io/enforce: privileged}\n",
        "namespaces/team.yaml:1: namespaceLabels.pod-security.kubernetes.io/enforce is a Pod Security label; set podSecurity"),
    "shared store without an identity": (
        "namespaces/team.yaml", "secretStores:\n  - {name: s, aws: {region: us-east-1}}\n",
        "namespaces/team.yaml:2: a shared SecretStore needs aws.serviceAccount"),
    "gateway without a certificate": (
        "namespaces/team.yaml", "gateways:\n  web:\n    selector: {istio: web}\n    hosts: [web.example.com]\n    tls: {minProtocolVersion: TLSV1_3}\n",
        "namespaces/team.yaml:5: gateway 'web' needs tls.clusterIssuer (cert-manager issues the certificate) or tls.secretName"),
    "gateway host with a scheme": (
        "namespaces/team.yaml", "gateways:\n  web:\n    selector: {istio: web}\n    hosts: [\"https://web.example.com\"]\n    tls: {secretName: web-tls}\n",
        "namespaces/team.yaml:4: gateways.web.hosts.0: \"https://web.example.com\" is not valid (must match"),
    "gateway selecting every pod": (
        "namespaces/team.yaml", "gateways:\n  web:\n    selector: {}\n    hosts: [web.example.com]\n    tls: {secretName: web-tls}\n",
        "namespaces/team.yaml:3: gateways.web.selector: {} should be non-empty"),
    "misspelt gateway field": (
        "namespaces/team.yaml", "gateways:\n  web:\n    selector: {istio: web}\n    hosts: [web.example.com]\n    tsl: {secretName: web-tls}\n",
        "namespaces/team.yaml:5: unknown field 'gateways.web.tsl' (did you mean 'tls'?)"),
    "gateway override without tls": (
        "overlays/qa.yaml", "domain: qa.example.com\nnamespaces:\n  team:\n    gateways:\n      web: {selector: {istio: web}, hosts: [web.example.com]}\n",
        "overlays/qa.yaml:5: missing required field 'gateways.web.tls'; add it"),
    "override for an unknown namespace": (
        "overlays/qa.yaml", "domain: qa.example.com\nnamespaces:\n  teem: {podSecurity: baseline}\n",
        "overlays/qa.yaml:3: override for unknown namespace 'teem' (did you mean 'team'?)"),
    "override of a namespace's identity": (
        "overlays/qa.yaml", "domain: qa.example.com\nnamespaces:\n  team: {team: other}\n",
        "overlays/qa.yaml:3: 'team' identifies the namespace and cannot differ per environment; remove it"),
}


ADDON_BAD_INPUTS = {
    "add-on without a chart version": (
        "addons/lbc.yaml", "namespace: kube-system\nchart: {repoURL: https://aws.github.io/eks-charts, name: lbc}\n",
        "addons/lbc.yaml:2: missing required field 'chart.version'; add it"),
    "add-on without a namespace": (
        "addons/lbc.yaml", "chart: {repoURL: https://x, name: lbc, version: 1.0.0}\n",
        "addons/lbc.yaml:1: missing required field 'namespace'; add it"),
    "override for an unknown add-on": (
        "overlays/qa.yaml", "domain: qa.example.com\naddons:\n  lbd: {values: {a: 1}}\n",
        "overlays/qa.yaml:3: override for unknown add-on 'lbd' (did you mean 'lbc'?)"),
    "override moving an add-on's namespace": (
        "overlays/qa.yaml", "domain: qa.example.com\naddons:\n  lbc: {namespace: default}\n",
        "overlays/qa.yaml:3: 'namespace' identifies the add-on and cannot differ per environment; remove it"),
}


# What each family of cases needs in the project before its bad file goes in: a namespace or an
# add-on for the overlays' overrides to name.
SETUP = {
    "blueprint": {},
    "namespace": {"namespaces/team.yaml": "podSecurity: baseline\n"},
    "addon": {"addons/lbc.yaml": "namespace: kube-system\nchart: {repoURL: https://x, name: lbc, version: 1.0.0}\n"},
}

CASES = [
    *[pytest.param("blueprint", "blueprints/bad.yaml", content, expected, id=f"blueprint: {case}")
      for case, (content, expected) in BAD_INPUTS.items()],
    *[pytest.param("namespace", relative, content, expected, id=f"namespace: {case}")
      for case, (relative, content, expected) in NAMESPACE_BAD_INPUTS.items()],
    *[pytest.param("addon", relative, content, expected, id=f"add-on: {case}")
      for case, (relative, content, expected) in ADDON_BAD_INPUTS.items()],
]


@pytest.mark.parametrize(("setup", "relative", "content", "expected"), CASES)
def test_bad_input_is_one_clear_line_exit_2_and_nothing_written(
        example_project: Path, setup: str, relative: str, content: str, expected: str) -> None:
    for path, text in SETUP[setup].items():
        (example_project / path).parent.mkdir(exist_ok=True)
        (example_project / path).write_text(text)
    assert run(example_project).exit_code == 0
    before = snapshot_tree(example_project / "rendered")
    (example_project / relative).write_text(content)
    assert_refused(run(example_project), expected)
    assert snapshot_tree(example_project / "rendered") == before


def test_an_addon_is_an_application_of_the_upstream_chart_and_nothing_else(example_project: Path) -> None:
    (example_project / "addons").mkdir(exist_ok=True)
    (example_project / "addons" / "lbc.yaml").write_text(
        "team: platform\nnamespace: kube-system\nsyncWave: -2\n"
        "chart: {repoURL: https://aws.github.io/eks-charts, name: aws-load-balancer-controller, version: 1.8.1}\n"
        "values: {clusterName: 'eks-{env}', replicaCount: 2}\n")
    prod_file = example_project / "overlays" / "prod.yaml"
    prod_overlay = yaml.safe_load(prod_file.read_text())
    prod_overlay["addons"] = {"lbc": {"values": {"replicaCount": 3}, "chart": {"version": "1.8.2"}}}
    prod_file.write_text(yaml.safe_dump(prod_overlay, sort_keys=False))
    assert run(example_project).exit_code == 0
    rendered = example_project / "rendered"
    assert not (rendered / "lbc").exists()
    prod = yaml.safe_load((rendered / "argocd" / "prod" / "addon-lbc.yaml").read_text())
    dev = yaml.safe_load((rendered / "argocd" / "dev" / "addon-lbc.yaml").read_text())
    assert prod["metadata"]["annotations"] == {"argocd.argoproj.io/sync-wave": "-2"}
    assert prod["spec"]["destination"]["namespace"] == "kube-system"
    assert prod["spec"]["source"] == {
        "repoURL": "https://aws.github.io/eks-charts", "chart": "aws-load-balancer-controller", "targetRevision": "1.8.2",
        "helm": {"releaseName": "lbc", "valuesObject": {"clusterName": "eks-prod", "replicaCount": 3}}}
    assert dev["spec"]["source"]["helm"]["valuesObject"] == {"clusterName": "eks-dev", "replicaCount": 2}
    assert "prune" not in prod["spec"]["syncPolicy"].get("automated", {})
    project = yaml.safe_load((rendered / "argocd" / "prod" / "project-platform.yaml").read_text())
    assert {"group": "*", "kind": "*"} not in project["spec"]["clusterResourceWhitelist"]  # only what add-ons declare
