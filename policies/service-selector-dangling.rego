# METADATA
# title: Service selectors match a pod template
# description: A Service with a selector selects the pod template of at least one workload linted with it; otherwise it has no endpoints (usually a label typo).
# custom:
#   id: service-selector-dangling
#   severity: error
#   remediation: Make service selector labels match the workload's pod template labels (the blueprint derives both from name).
#   kinds: [Service]
package gitopsgen.rules.service_selector_dangling

import rego.v1

import data.gitopsgen.lib

violation contains {"msg": msg, "field": ["spec", "selector"]} if {
	lib.kind == "Service"
	selector := object.get(lib.obj, ["spec", "selector"], {})
	count(selector) > 0
	not matched(selector)
	msg := sprintf("Service %s selector %v matches no pod template in namespace %s", [lib.name, selector, lib.namespace])
}

matched(selector) if {
	some workload in lib.workloads_in(lib.namespace)
	lib.map_matches(selector, lib.pod_template_labels(workload))
}
