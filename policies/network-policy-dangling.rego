# METADATA
# title: NetworkPolicies select at least one pod template
# description: A NetworkPolicy with a non-empty podSelector selects the pods of at least one workload linted with it; otherwise it protects nothing (usually a label typo).
# custom:
#   id: network-policy-dangling
#   severity: error
#   remediation: Make networkPolicy podSelector labels match the workload's pod template labels.
#   kinds: [NetworkPolicy]
package gitopsgen.rules.network_policy_dangling

import rego.v1

import data.gitopsgen.lib

violation contains {"msg": msg, "field": ["spec", "podSelector"]} if {
	lib.kind == "NetworkPolicy"
	selector := object.get(lib.obj, ["spec", "podSelector"], {})
	count(selector) > 0
	not selects_something(selector)
	msg := sprintf("NetworkPolicy %s podSelector selects no pod template in namespace %s", [lib.name, lib.namespace])
}

selects_something(selector) if {
	some workload in lib.workloads_in(lib.namespace)
	lib.selector_matches(selector, lib.pod_template_labels(workload))
}
