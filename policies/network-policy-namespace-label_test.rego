package gitopsgen.rules.network_policy_namespace_label_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.network_policy_namespace_label

policy(labels) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": labels}}]}],
}}

test_metadata_name_label_passes if {
	p := policy({"kubernetes.io/metadata.name": "monitoring"})
	count(network_policy_namespace_label.violation) == 0 with input as {"review": {"object": p}} with data.inventory as lib.inventory_of([p])
}

test_custom_label_without_namespace_fails if {
	p := policy({"name": "monitoring"})
	some v in network_policy_namespace_label.violation with input as {"review": {"object": p}} with data.inventory as lib.inventory_of([p])
	v.field == ["spec", "ingress", 0, "from", 0, "namespaceSelector", "matchLabels", "name"]
}
