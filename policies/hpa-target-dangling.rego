# METADATA
# title: Autoscalers target an existing workload
# description: The target of a HorizontalPodAutoscaler (spec.scaleTargetRef), a KEDA ScaledObject (spec.scaleTargetRef, a Deployment unless it names another kind) or a VerticalPodAutoscaler (spec.targetRef) names a workload of that kind linted with it in the same namespace; otherwise nothing is scaled.
# custom:
#   id: hpa-target-dangling
#   severity: error
#   category: references
#   remediation: "Point the autoscaler's target (spec.scaleTargetRef, or spec.targetRef of a VerticalPodAutoscaler) at a workload that exists in the same namespace, or delete the autoscaler."
#   remediation_blueprint: "The blueprint derives the autoscaler targets from name and kind: check the overlay patches that rename or delete the workload."
#   kinds: [HorizontalPodAutoscaler, ScaledObject, VerticalPodAutoscaler]
package gitopsgen.rules.hpa_target_dangling

import rego.v1

import data.gitopsgen.lib.autoscaler_target
import data.gitopsgen.lib.autoscaler_target_paths
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": array.concat(autoscaler_target_paths[kind], ["name"])} if {
	target := autoscaler_target(obj)
	target.name # a missing target is the schema's to report
	not exists(target)
	msg := sprintf("%v %v/%v does not exist in namespace %s", [autoscaler_target_paths[kind][1], object.get(target, "kind", "?"), object.get(target, "name", "?"), namespace])
}

exists(target) if {
	some of_kind in data.inventory.namespace[namespace]
	objects := of_kind[target.kind] # one variable key per reference: much faster in regorus
	objects[target.name]
}
