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

import data.gitopsgen.lib.kind
import data.gitopsgen.lib.min_replicas
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_template_labels
import data.gitopsgen.lib.replicated_kinds
import data.gitopsgen.lib.selector_matches
import data.gitopsgen.lib.workloads_in

violation contains {"msg": msg, "field": ["spec", "minAvailable"]} if {
	kind == "PodDisruptionBudget"
	minimum := obj.spec.minAvailable
	is_number(minimum)
	some workload in selected
	replicas := min_replicas(workload)
	minimum >= replicas
	msg := sprintf("minAvailable %d is not below the %d replicas %s %s may scale down to: no pod can ever be evicted", [minimum, replicas, workload.kind, workload.metadata.name])
}

violation contains {"msg": "minAvailable 100% blocks every voluntary eviction", "field": ["spec", "minAvailable"]} if {
	kind == "PodDisruptionBudget"
	obj.spec.minAvailable == "100%"
}

violation contains {"msg": "maxUnavailable 0 blocks every voluntary eviction", "field": ["spec", "maxUnavailable"]} if {
	kind == "PodDisruptionBudget"
	obj.spec.maxUnavailable in {0, "0%"}
}

selected contains workload if {
	some workload in workloads_in(namespace)
	workload.kind in replicated_kinds
	selector_matches(object.get(obj, ["spec", "selector"], {}), pod_template_labels(workload))
}
