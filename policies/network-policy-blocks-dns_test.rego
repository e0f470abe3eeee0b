package gitopsgen.rules.network_policy_blocks_dns_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.network_policy_blocks_dns

pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api", "namespace": "app", "labels": {"app": "api"}}, "spec": {"containers": [{"name": "c"}]}}

policy(egress) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"], "egress": egress,
}}

test_dns_allowed_passes if {
	p := policy([{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": [{"port": 5432}]}, {"ports": [{"port": 53, "protocol": "UDP"}]}])
	count(network_policy_blocks_dns.violation) == 0 with input as {"review": {"object": pod}} with data.inventory as lib.inventory_of([pod, p])
}

test_no_egress_policy_passes if {
	count(network_policy_blocks_dns.violation) == 0 with input as {"review": {"object": pod}} with data.inventory as lib.inventory_of([pod])
}

test_egress_without_dns_fails if {
	p := policy([{"ports": [{"port": 5432}]}])
	count(network_policy_blocks_dns.violation) == 1 with input as {"review": {"object": pod}} with data.inventory as lib.inventory_of([pod, p])
}

test_a_rule_or_port_of_another_type_allows_nothing if {
	# the interpreter stopped on object.get([1], ...) and upper(7) where the VM read them as undefined
	every egress in [[[1]], [{"ports": 7}], [{"ports": ""}], [{"ports": {}}], [{"ports": [7]}], [{"ports": [{"port": 53, "protocol": 7}]}]] {
		count(network_policy_blocks_dns.violation) == 1 with input as {"review": {"object": pod}}
			with data.inventory as lib.inventory_of([pod, policy(egress)])
	}
}
