# METADATA
# title: NetworkPolicies select at least one pod template
# description: A NetworkPolicy with a non-empty podSelector selects the pods of at least one workload linted with it; otherwise it protects nothing (usually a label typo).
# custom:
#   id: network-policy-dangling
#   severity: error
#   category: references
#   remediation: "Make spec.podSelector match the labels of a pod template in the namespace, or delete the NetworkPolicy."
#   remediation_blueprint: "The blueprint derives the selector from name: check overlay patches that change the pod labels."
#   kinds: [NetworkPolicy]
package gitopsgen.rules.network_policy_dangling

import rego.v1

import data.gitopsgen.lib.kind
import data.gitopsgen.lib.name
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_template_labels
import data.gitopsgen.lib.selector_matches
import data.gitopsgen.lib.workloads_in

violation contains {"msg": msg, "field": ["spec", "podSelector"]} if {
	kind == "NetworkPolicy"
	selector := object.get(obj, ["spec", "podSelector"], {})
	is_object(selector)
	count(selector) > 0
	not selects_something(selector)
	msg := sprintf("NetworkPolicy %s podSelector selects no pod template in namespace %s", [name, namespace])
}

selects_something(selector) if {
	some workload in workloads_in(namespace)
	selector_matches(selector, pod_template_labels(workload))
}
