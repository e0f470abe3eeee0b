# METADATA
# title: PodDisruptionBudgets leave room for a voluntary eviction
# description: A PodDisruptionBudget whose minAvailable is not below the fewest replicas of the workload it selects (the HPA's minReplicas, else spec.replicas), or whose maxUnavailable is 0, blocks every node drain.
# custom:
#   id: pdb-allows-disruption
#   severity: error
#   remediation: Lower podDisruptionBudget.minAvailable below autoscaling.minReplicas (or use maxUnavailable 1).
#   kinds: [PodDisruptionBudget]
package gitopsgen.rules.pdb_allows_disruption

import rego.v1

import data.gitopsgen.lib

violation contains {"msg": msg, "field": ["spec", "minAvailable"]} if {
	lib.kind == "PodDisruptionBudget"
	minimum := lib.obj.spec.minAvailable
	is_number(minimum)
	some workload in selected
	replicas := lib.min_replicas(workload)
	minimum >= replicas
	msg := sprintf("minAvailable %d is not below the %d replicas %s %s may scale down to: no pod can ever be evicted", [minimum, replicas, workload.kind, workload.metadata.name])
}

violation contains {"msg": "minAvailable 100% blocks every voluntary eviction", "field": ["spec", "minAvailable"]} if {
	lib.kind == "PodDisruptionBudget"
	lib.obj.spec.minAvailable == "100%"
}

violation contains {"msg": "maxUnavailable 0 blocks every voluntary eviction", "field": ["spec", "maxUnavailable"]} if {
	lib.kind == "PodDisruptionBudget"
	lib.obj.spec.maxUnavailable in {0, "0%"}
}

selected contains workload if {
	some workload in lib.workloads_in(lib.namespace)
	workload.kind in lib.replicated_kinds
	lib.selector_matches(object.get(lib.obj, ["spec", "selector"], {}), lib.pod_template_labels(workload))
}
