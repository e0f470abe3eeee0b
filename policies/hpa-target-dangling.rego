# METADATA
# title: HorizontalPodAutoscalers target an existing workload
# description: The scaleTargetRef of an HPA names a workload of that kind linted with it in the same namespace.
# custom:
#   id: hpa-target-dangling
#   severity: error
#   category: references
#   remediation: "Point spec.scaleTargetRef at a workload that exists in the same namespace, or delete the HorizontalPodAutoscaler."
#   remediation_blueprint: "The blueprint derives the HPA target from name: check the overlay patches that rename or delete the Deployment."
#   kinds: [HorizontalPodAutoscaler]
package gitopsgen.rules.hpa_target_dangling

import rego.v1

import data.gitopsgen.lib.kind
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["spec", "scaleTargetRef", "name"]} if {
	kind == "HorizontalPodAutoscaler"
	target := obj.spec.scaleTargetRef
	not exists(target)
	msg := sprintf("scaleTargetRef %v/%v does not exist in namespace %s", [object.get(target, "kind", "?"), object.get(target, "name", "?"), namespace])
}

exists(target) if {
	some of_kind in data.inventory.namespace[namespace]
	objects := of_kind[target.kind] # one variable key per reference: much faster in regorus
	objects[target.name]
}
