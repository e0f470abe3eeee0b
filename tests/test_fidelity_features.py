"""Fidelity across the whole blueprint format: a blueprint using every feature, overridden per
environment in every way an overlay can express (patches, removed and added objects, image
name/tag/digest changes), builds with the real kustomize to exactly the effective manifests."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from generator.load import load_project
from generator.render.project import render_project
from generator.render.writer import write_tree

ROOT = Path(__file__).resolve().parent.parent

KITCHEN_SINK = """\
name: kitchen-sink
team: platform
owner: platform@example.com
namespace: sink
image: {repository: registry.example.com/platform/sink, digest: "sha256:BASE_DIGEST", pullPolicy: IfNotPresent}
command: [/bin/sink]
args: [--listen, ":8080"]
workingDir: /srv
ports:
  - {name: http, port: 8080}
  - {name: grpc, port: 9000, protocol: TCP}
  - {name: metrics, port: 9100}
env:
  - {name: MODE, value: "on"}
  - {name: TOKEN, secretKeyRef: {name: sink-secrets, key: token, optional: true}}
  - {name: FLAGS, configMapKeyRef: {name: sink-config, key: flags}}
  - {name: NODE, fieldRef: spec.nodeName}
envFrom:
  - {configMap: sink-config, prefix: CFG_}
  - {secret: sink-secrets, optional: true}
resources:
  requests: {cpu: 100m, memory: 128Mi, ephemeral-storage: 64Mi}
  limits: {cpu: 1, memory: 256Mi}
probes:
  liveness: {exec: {command: [/bin/sink, health]}, periodSeconds: 20}
  readiness: {tcp: {port: grpc}, successThreshold: 1}
  startup: {http: {path: /started, port: 8080, scheme: HTTP}, failureThreshold: 10, timeoutSeconds: 2}
replicas: 2
strategy: {type: Recreate}
terminationGracePeriodSeconds: 45
priorityClassName: platform-high
autoscaling:
  minReplicas: 2
  maxReplicas: 8
  memory: 75
  pods: [{metric: queue_depth, averageValue: 500m}]
podDisruptionBudget: {minAvailable: 50%}
service:
  type: NodePort
  annotations: {service.beta.kubernetes.io/aws-load-balancer-internal: "true"}
  ports:
    - {name: web, port: 80, targetPort: http}
    - {name: grpc, port: 9000, targetPort: 9000}
    - {name: metrics, port: 9100, targetPort: metrics}
ingress:
  className: nginx
  annotations: {nginx.ingress.kubernetes.io/ssl-redirect: "true"}
  hosts:
    - host: sink.{domain}
      paths:
        - {path: /api, pathType: Prefix, port: http}
        - {path: /grpc, pathType: ImplementationSpecific, port: grpc}
    - host: "{app}-{env}.internal.example.com"
  tls: [{secretName: "sink-{env}-tls", hosts: ["sink.{domain}"]}]
networkPolicy:
  allowDNS: false
  ingress:
    - {namespaces: [ingress-nginx, monitoring], pods: {app.kubernetes.io/name: gateway}, ports: [http, {port: 9000, protocol: TCP}]}
    - {cidr: 10.0.0.0/8}
  egress:
    - {namespaces: [data], ports: [{port: 5432, protocol: TCP}]}
serviceAccount: {name: sink-runner, annotations: {iam.example.com/role: sink}, automountToken: true}
volumes:
  - {name: scratch, mountPath: /scratch, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
  - {name: config, mountPath: /etc/sink, readOnly: true, configMap: {name: sink-config}}
  - {name: certs, mountPath: /etc/certs, readOnly: true, secret: {name: sink-certs, optional: false}}
configMaps:
  sink-config: {flags: "--fast", mode: "on"}
nodeSelector: {kubernetes.io/os: linux}
tolerations:
  - {key: dedicated, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
antiAffinity: {type: required, topologyKey: kubernetes.io/hostname}
topologySpread:
  - {topologyKey: topology.kubernetes.io/zone, maxSkew: 2, whenUnsatisfiable: DoNotSchedule}
externalSecrets:
  - name: sink-secrets
    store: {name: vault, kind: ClusterSecretStore}
    data: [{secretKey: token, remoteKey: "sink/{env}/token"}]
    dataFrom: [{extract: "sink/{env}/all"}]
secretStores:
  - {name: sink-store, aws: {service: ParameterStore, region: eu-west-1, serviceAccount: sink-runner}}
monitoring:
  scrapeAnnotations: {port: metrics, path: /prom}
  serviceMonitor: {port: metrics, interval: 15s, scrapeTimeout: 10s, labels: {release: prom}}
securityContext: {runAsUser: 2000, runAsGroup: 3000, fsGroup: 4000, readOnlyRootFilesystem: false, capabilitiesAdd: [NET_BIND_SERVICE], seccompProfile: RuntimeDefault}
labels: {cost-center: cc-42}
annotations: {docs.example.com/runbook: https://runbooks.example.com/sink}
podLabels: {sidecar.istio.io/inject: "false"}
podAnnotations: {checksum/config: abc123}
""".replace("BASE_DIGEST", "0" * 64)

ENVIRONMENTS = {
    "dev": """\
        order: 10
        namespace: "{namespace}-{env}"
        domain: dev.example.com
        defaults: {autoscaling: {enabled: false}, podDisruptionBudget: {enabled: false}}
        apps:
          kitchen-sink:
            image: {tag: dev-latest-build}
            replicas: 1
            ingress: {enabled: false}
            networkPolicy: {enabled: false}
            serviceAccount: {create: false}
            monitoring: {serviceMonitor: {port: metrics, interval: 60s}}
        """,
    "staging": """\
        order: 20
        namespace: "{team}-{app}-{env}"
        domain: staging.example.com
        cluster: {server: https://staging.k8s.example.com}
        apps:
          kitchen-sink:
            image: {repository: mirror.example.com/platform/sink, tag: v1.2.3-rc.1}
            resources: {limits: {cpu: 2, memory: 512Mi}}
            env:
              - {name: MODE, value: "off"}
            tolerations: []
            strategy: {type: RollingUpdate, maxSurge: 1, maxUnavailable: 0}
        """,
    "prod": """\
        order: 30
        namespace: "{namespace}"
        domain: example.com
        defaults: {replicas: 4}
        apps:
          kitchen-sink:
            image: {digest: "sha256:PROD_DIGEST"}
            autoscaling: {minReplicas: 4, maxReplicas: 40, cpu: 60, behavior: {scaleDown: {stabilizationWindowSeconds: 600}}}
            podDisruptionBudget: {maxUnavailable: 1}
            antiAffinity: {type: preferred, weight: 50}
            securityContext: {readOnlyRootFilesystem: true}
            service: {type: ClusterIP}
        """.replace("PROD_DIGEST", "f" * 64),
}


@pytest.fixture(scope="module")
def kitchen_sink(tmp_path_factory: pytest.TempPathFactory):
    project = tmp_path_factory.mktemp("kitchen-sink")
    (project / "blueprints").mkdir()
    (project / "overlays").mkdir()
    (project / "blueprints" / "kitchen-sink.yaml").write_text(KITCHEN_SINK)
    for env, text in ENVIRONMENTS.items():
        (project / "overlays" / f"{env}.yaml").write_text(textwrap.dedent(text))
    shutil.copy(ROOT / "gitopsgen.yaml", project / "gitopsgen.yaml")
    rendering = render_project(load_project(project))
    write_tree(project, rendering.files)
    return project, {s.env: s.objects for s in rendering.sets if s.app == "kitchen-sink"}


def _by_key(objects: list[dict]) -> dict[tuple[str, str, str], dict]:
    return {(o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in objects}


@pytest.mark.parametrize("env", list(ENVIRONMENTS))
def test_every_feature_builds_to_the_effective_manifests(kitchen_sink, kubectl: str, env: str) -> None:
    project, effective = kitchen_sink
    overlay = project / "rendered" / "kitchen-sink" / "overlays" / env
    built = subprocess.run([kubectl, "kustomize", str(overlay)], check=True, capture_output=True, text=True).stdout
    built_objects = _by_key([doc for doc in yaml.safe_load_all(built) if doc])
    expected = _by_key(effective[env])
    assert sorted(built_objects) == sorted(expected)
    for key, obj in expected.items():
        assert built_objects[key] == obj, f"{key} differs"


def test_the_overlays_use_every_kind_of_change(kitchen_sink) -> None:
    """Guards the test above: each environment really exercises a different overlay mechanism."""
    project, effective = kitchen_sink
    overlays = project / "rendered" / "kitchen-sink" / "overlays"
    dev = yaml.safe_load((overlays / "dev" / "kustomization.yaml").read_text())
    staging = yaml.safe_load((overlays / "staging" / "kustomization.yaml").read_text())
    prod = yaml.safe_load((overlays / "prod" / "kustomization.yaml").read_text())
    assert {"delete-hpa.yaml", "delete-pdb.yaml", "delete-networkpolicy.yaml", "delete-serviceaccount-sink-runner.yaml"} <= {p["path"] for p in dev["patches"]}
    assert dev["images"] == [{"name": "registry.example.com/platform/sink", "newTag": "dev-latest-build"}]
    assert staging["images"][0]["newName"] == "mirror.example.com/platform/sink"
    assert prod["images"] == [{"name": "registry.example.com/platform/sink", "digest": "sha256:" + "f" * 64}]
    assert "ingress.yaml" in staging["resources"] and "ingress.yaml" not in dev["resources"]
    assert staging["namespace"] == "platform-kitchen-sink-staging" and prod["namespace"] == "sink"
    kinds = {o["kind"] for o in effective["prod"]}
    assert kinds == {"ServiceAccount", "ConfigMap", "SecretStore", "ExternalSecret", "Deployment", "Service",
                     "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "Ingress", "ServiceMonitor"}
