# METADATA
# title: Service selectors match a pod template
# description: A Service with a selector selects the pod template of at least one workload linted with it; otherwise it has no endpoints (usually a label typo).
# custom:
#   id: service-selector-dangling
#   severity: error
#   category: references
#   remediation: "Make spec.selector match the labels of a pod template in the same namespace."
#   remediation_blueprint: "Make service selector labels match the workload's pod template labels (the blueprint derives both from name)."
#   kinds: [Service]
package gitopsgen.rules.service_selector_dangling

import rego.v1

import data.gitopsgen.lib.kind
import data.gitopsgen.lib.name
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.selector_workloads

violation contains {"msg": msg, "field": ["spec", "selector"]} if {
	kind == "Service"
	selector := object.get(obj, ["spec", "selector"], {})
	is_object(selector)
	count(selector) > 0
	count(selector_workloads) == 0
	msg := sprintf("Service %s selector %v matches no pod template in namespace %s", [name, selector, namespace])
}

