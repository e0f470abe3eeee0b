# METADATA
# title: HorizontalPodAutoscalers target an existing workload
# description: The scaleTargetRef of an HPA names a workload of that kind linted with it in the same namespace.
# custom:
#   id: hpa-target-dangling
#   severity: error
#   remediation: Fix scaleTargetRef kind and name, or remove the autoscaler.
#   kinds: [HorizontalPodAutoscaler]
package gitopsgen.rules.hpa_target_dangling

import rego.v1

import data.gitopsgen.lib

violation contains {"msg": msg, "field": ["spec", "scaleTargetRef", "name"]} if {
	lib.kind == "HorizontalPodAutoscaler"
	target := lib.obj.spec.scaleTargetRef
	not exists(target)
	msg := sprintf("scaleTargetRef %s/%s does not exist in namespace %s", [target.kind, target.name, lib.namespace])
}

exists(target) if data.inventory.namespace[lib.namespace][_][target.kind][target.name]
