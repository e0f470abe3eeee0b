# METADATA
# title: namespaceSelectors use labels namespaces carry
# description: "A namespaceSelector on a label such as name: monitoring matches nothing unless someone labelled the namespace by hand; Kubernetes sets kubernetes.io/metadata.name on every namespace, so select on that. A label is accepted when a Namespace in the set carries it."
# custom:
#   id: network-policy-namespace-label
#   severity: warning
#   category: networking
#   remediation: "Select namespaces with matchLabels kubernetes.io/metadata.name: <namespace>, or label the Namespace (in the manifests) with the label you select on."
#   remediation_blueprint: Name peer namespaces in networkPolicy.ingress[].namespaces / egress[].namespaces (gitopsgen selects them by kubernetes.io/metadata.name).
#   kinds: [NetworkPolicy]
package gitopsgen.rules.network_policy_namespace_label

import rego.v1

import data.gitopsgen.lib.cluster_inventory_of_kind
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["spec", direction, i, side, j, "namespaceSelector", "matchLabels", key]} if {
	some direction, side in {"ingress": "from", "egress": "to"}
	some i, rule in items_at(obj, ["spec", direction])
	some j, peer in items_at(rule, [side])
	some key, value in items_at(peer, ["namespaceSelector", "matchLabels"])
	key != "kubernetes.io/metadata.name"
	not carried(key, value)
	msg := sprintf("namespaceSelector %s: %v matches no Namespace in the set; select on kubernetes.io/metadata.name", [key, value])
}

carried(key, value) if {
	some ns in cluster_inventory_of_kind("Namespace")
	object.get(ns, ["metadata", "labels", key], null) == value
}
