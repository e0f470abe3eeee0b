# METADATA
# title: Replicated workloads have a PodDisruptionBudget
# description: A Deployment, StatefulSet or ReplicaSet that runs more than one replica (spec.replicas, or its HPA's minReplicas) is selected by a PodDisruptionBudget in its namespace, so node drains keep it available.
# custom:
#   id: pdb-required
#   severity: error
#   category: reliability
#   remediation: "Add a PodDisruptionBudget (minAvailable 1 or maxUnavailable 1) whose selector matches the pod labels."
#   remediation_blueprint: "Add podDisruptionBudget (e.g. minAvailable 1 or maxUnavailable 1) to the blueprint."
#   kinds: [Deployment, StatefulSet, ReplicaSet, Rollout]
package gitopsgen.rules.pdb_required

import rego.v1

import data.gitopsgen.lib.inventory_of_kind
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.min_replicas
import data.gitopsgen.lib.name
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.replicated_kinds
import data.gitopsgen.lib.selector_matches
import data.gitopsgen.lib.template_labels

violation contains {"msg": msg, "field": ["spec", "replicas"]} if {
	kind in replicated_kinds
	not covered # first: a look-up, where min_replicas walks the autoscalers
	replicas := min_replicas(obj)
	replicas > 1
	msg := sprintf("%s %s runs %v replicas but no PodDisruptionBudget in namespace %s selects its pods", [kind, name, replicas, namespace])
}

covered if {
	some pdb in inventory_of_kind(namespace, "PodDisruptionBudget")
	selector_matches(object.get(pdb, ["spec", "selector"], {}), template_labels)
}
