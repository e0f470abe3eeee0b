# METADATA
# title: NetworkPolicy peers select some pod
# description: An ingress from or egress to peer with a podSelector (and no namespaceSelector) selects pods of the policy's own namespace; if no pod template there carries those labels, the rule allows nothing and traffic the author meant to allow is dropped.
# custom:
#   id: network-policy-peer-dangling
#   severity: error
#   category: references
#   remediation: Make the peer's podSelector match the labels of the pods that talk to (or are reached by) the selected pods, or add a namespaceSelector for pods of another namespace.
#   remediation_blueprint: "Fix networkPolicy.ingress[] / egress[] in the blueprint: name the app (its pod labels) or the namespace the peer runs in."
#   kinds: [NetworkPolicy]
package gitopsgen.rules.network_policy_peer_dangling

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_template_labels
import data.gitopsgen.lib.selector_matches
import data.gitopsgen.lib.workloads_in

violation contains {"msg": msg, "field": ["spec", direction, i, side, j, "podSelector"]} if {
	some direction, side in {"ingress": "from", "egress": "to"}
	some i, rule in items_at(obj, ["spec", direction])
	some j, peer in items_at(rule, [side])
	selector := peer.podSelector
	not peer.namespaceSelector
	is_object(selector)
	count(selector) > 0
	not selects_a_pod(selector)
	msg := sprintf("%s[%d].%s[%d].podSelector selects no pod template in namespace %s", [direction, i, side, j, namespace])
}

selects_a_pod(selector) if {
	some workload in workloads_in(namespace)
	selector_matches(selector, pod_template_labels(workload))
}
