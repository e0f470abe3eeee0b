package gitopsgen.rules.network_policy_peer_dangling_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.network_policy_peer_dangling

deployment(spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"selector": {"matchLabels": {"app": "api"}},
	"template": {"metadata": {"labels": {"app": "api"}}, "spec": spec},
}}

with_inventory(o, others) := {"review": {"object": o}}

policy(peer_labels) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "db", "namespace": "app"}, "spec": {
	"podSelector": {"matchLabels": {"app": "db"}},
	"ingress": [{"from": [{"podSelector": {"matchLabels": peer_labels}}]}],
}}

test_peer_matching_a_pod_passes if {
	p := policy({"app": "api"})
	d := deployment({"containers": [{"name": "api"}]})
	count(network_policy_peer_dangling.violation) == 0 with input as {"review": {"object": p}} with data.inventory as lib.inventory_of([p, d])
}

test_peer_matching_nothing_fails if {
	p := policy({"app": "apii"})
	d := deployment({"containers": [{"name": "api"}]})
	some v in network_policy_peer_dangling.violation with input as {"review": {"object": p}} with data.inventory as lib.inventory_of([p, d])
	v.field == ["spec", "ingress", 0, "from", 0, "podSelector"]
}
