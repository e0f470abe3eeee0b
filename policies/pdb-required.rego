# METADATA
# title: Replicated workloads have a PodDisruptionBudget
# description: A Deployment, StatefulSet or ReplicaSet that runs more than one replica (spec.replicas, or its HPA's minReplicas) is selected by a PodDisruptionBudget in its namespace, so node drains keep it available.
# custom:
#   id: pdb-required
#   severity: error
#   remediation: Add podDisruptionBudget (e.g. minAvailable 1 or maxUnavailable 1) to the blueprint.
#   kinds: [Deployment, StatefulSet, ReplicaSet]
package gitopsgen.rules.pdb_required

import rego.v1

import data.gitopsgen.lib

violation contains {"msg": msg, "field": ["spec", "replicas"]} if {
	lib.kind in lib.replicated_kinds
	replicas := lib.min_replicas(lib.obj)
	replicas > 1
	not covered
	msg := sprintf("%s %s runs %d replicas but no PodDisruptionBudget in namespace %s selects its pods", [lib.kind, lib.name, replicas, lib.namespace])
}

covered if {
	some pdb in lib.inventory_of_kind(lib.namespace, "PodDisruptionBudget")
	lib.selector_matches(object.get(pdb, ["spec", "selector"], {}), lib.pod_template_labels(lib.obj))
}
