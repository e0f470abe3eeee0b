package gitopsgen.rules.network_policy_dangling_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.network_policy_dangling

deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "ihcl-ai"}, "spec": {
	"template": {"metadata": {"labels": {"app": "security-operations"}}, "spec": {"containers": [{"name": "web"}]}},
}}

policy(selector) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "web", "namespace": "ihcl-ai"}, "spec": {"podSelector": selector}}

test_selecting_policy_passes if {
	p := policy({"matchLabels": {"app": "security-operations"}})
	count(network_policy_dangling.violation) == 0 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([deployment, p])
}

test_default_deny_for_the_namespace_passes if {
	p := policy({})
	count(network_policy_dangling.violation) == 0 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([p])
}

test_selecting_nothing_fails if {
	p := policy({"matchLabels": {"app": "security-ops"}})
	count(network_policy_dangling.violation) == 1 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([deployment, p])
}
