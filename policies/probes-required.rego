# METADATA
# title: Long-running containers have liveness and readiness probes
# description: Every application container of a long-running workload declares a livenessProbe and a readinessProbe, so Kubernetes restarts hung processes and routes traffic only to ready pods. Jobs and CronJobs are exempt.
# custom:
#   id: probes-required
#   severity: error
#   category: reliability
#   remediation: "Add livenessProbe and readinessProbe to the container (httpGet on the serving port, e.g. /health)."
#   remediation_blueprint: "Add probes.liveness and probes.readiness to the blueprint (httpGet on the named port, e.g. /health)."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Rollout]
package gitopsgen.rules.probes_required

import rego.v1

import data.gitopsgen.lib.app_containers
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.parameters

params := parameters("probes-required")

default probes := ["livenessProbe", "readinessProbe"]

probes := params.probes

violation contains {"msg": msg, "field": array.concat(entry.path, [probe])} if {
	not kind in {"Job", "CronJob"}
	some entry in app_containers
	some probe in probes
	not entry.container[probe]
	msg := sprintf("container %q has no %s", [entry.label, probe])
}
