# METADATA
# title: PodDisruptionBudgets leave room for a voluntary eviction
# description: A PodDisruptionBudget whose minAvailable is not below the fewest replicas of the workload it selects (the HPA's minReplicas, else spec.replicas), or whose maxUnavailable is 0, blocks every node drain.
# custom:
#   id: pdb-allows-disruption
#   severity: error
#   category: reliability
#   remediation: "Lower spec.minAvailable below the workload's fewest replicas (percentages round up), or use maxUnavailable: 1."
#   remediation_blueprint: "Lower podDisruptionBudget.minAvailable below autoscaling.minReplicas (or use maxUnavailable 1)."
#   kinds: [PodDisruptionBudget]
package gitopsgen.rules.pdb_allows_disruption

import rego.v1

import data.gitopsgen.lib.display_name
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
	some workload in selected
	replicas := min_replicas(workload)
	required := pods_required(minimum, replicas)
	required >= replicas
	msg := sprintf("minAvailable %v requires %v of the %v replicas %s %s may scale down to: no pod can ever be evicted", [minimum, required, replicas, workload.kind, display_name(workload)])
}

violation contains {"msg": "minAvailable 100% blocks every voluntary eviction", "field": ["spec", "minAvailable"]} if {
	kind == "PodDisruptionBudget"
	obj.spec.minAvailable == "100%"
	count(selected) == 0
}

# How many pods minAvailable keeps: a number as it is, a percentage of the replicas rounded up
# (as the disruption controller rounds it).
pods_required(minimum, _) := minimum if is_number(minimum)

pods_required(minimum, replicas) := ceil((to_number(trim_suffix(minimum, "%")) * replicas) / 100) if {
	is_string(minimum)
	regex.match(`^[0-9]+(\.[0-9]+)?%$`, minimum)
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
