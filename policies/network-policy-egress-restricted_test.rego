package gitopsgen.rules.network_policy_egress_restricted_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.network_policy_egress_restricted

pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api", "namespace": "app", "labels": {"app": "api"}}, "spec": {"containers": [{"name": "c"}]}}

policy(types) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": types,
}}

test_both_directions_pass if {
	p := policy(["Ingress", "Egress"])
	count(network_policy_egress_restricted.violation) == 0 with input as {"review": {"object": pod}} with data.inventory as lib.inventory_of([pod, p])
}

test_ingress_only_fails if {
	p := policy(["Ingress"])
	count(network_policy_egress_restricted.violation) == 1 with input as {"review": {"object": pod}} with data.inventory as lib.inventory_of([pod, p])
}
