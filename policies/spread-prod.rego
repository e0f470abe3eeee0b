# METADATA
# title: Production workloads spread their replicas
# description: In production a Deployment, StatefulSet or ReplicaSet declares pod anti-affinity or topologySpreadConstraints, so one node or zone failure cannot take every replica.
# custom:
#   id: spread-prod
#   severity: error
#   remediation: Add topologySpreadConstraints (topology.kubernetes.io/zone, kubernetes.io/hostname) or a preferred podAntiAffinity to the blueprint.
#   kinds: [Deployment, StatefulSet, ReplicaSet]
package gitopsgen.rules.spread_prod

import rego.v1

import data.gitopsgen.lib

violation contains {"msg": msg, "field": lib.pod_spec_path(lib.obj)} if {
	lib.is_prod
	lib.kind in lib.replicated_kinds
	not spread
	msg := sprintf("%s %s has neither pod anti-affinity nor topologySpreadConstraints (required in %s)", [lib.kind, lib.name, input.env])
}

spread if count(object.get(lib.pod_spec, "topologySpreadConstraints", [])) > 0

spread if lib.pod_spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution

spread if lib.pod_spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution
