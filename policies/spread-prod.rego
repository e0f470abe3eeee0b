# METADATA
# title: Production workloads spread their replicas
# description: In production a Deployment, StatefulSet or ReplicaSet declares pod anti-affinity or topologySpreadConstraints, so one node or zone failure cannot take every replica.
# custom:
#   id: spread-prod
#   severity: error
#   category: reliability
#   remediation: "Add topologySpreadConstraints (topology.kubernetes.io/zone, kubernetes.io/hostname) or a podAntiAffinity to the pod spec."
#   remediation_blueprint: "Add topologySpread or antiAffinity to the blueprint (or the production overlay's defaults)."
#   kinds: [Deployment, StatefulSet, ReplicaSet, Rollout]
package gitopsgen.rules.spread_prod

import rego.v1

import data.gitopsgen.lib.countable
import data.gitopsgen.lib.is_prod
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.name
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_spec
import data.gitopsgen.lib.pod_spec_path
import data.gitopsgen.lib.replicated_kinds

violation contains {"msg": msg, "field": pod_spec_path(obj)} if {
	is_prod
	kind in replicated_kinds
	not spread
	msg := sprintf("%s %s has neither pod anti-affinity nor topologySpreadConstraints (required in %s)", [kind, name, input.env])
}

spread if {
	constraints := object.get(pod_spec, "topologySpreadConstraints", [])
	countable(constraints)
	count(constraints) > 0
}

spread if pod_spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution

spread if pod_spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution
