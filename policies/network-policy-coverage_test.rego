package gitopsgen.rules.network_policy_coverage_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.network_policy_coverage

deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "virtualagent-platform", "namespace": "ihcl-ai"}, "spec": {
	"template": {"metadata": {"labels": {"app": "virtualagent-platform"}}, "spec": {"containers": [{"name": "web"}]}},
}}

policy(selector) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "ihcl-ai"}, "spec": {"podSelector": selector}}

test_matching_policy_passes if {
	count(network_policy_coverage.violation) == 0 with input as {"review": {"object": deployment}}
		with data.inventory as lib.inventory_of([deployment, policy({"matchLabels": {"app": "virtualagent-platform"}})])
}

test_namespace_wide_policy_passes if {
	count(network_policy_coverage.violation) == 0 with input as {"review": {"object": deployment}}
		with data.inventory as lib.inventory_of([deployment, policy({})])
}

test_policy_for_other_pods_fails if {
	some v in network_policy_coverage.violation with input as {"review": {"object": deployment}}
		with data.inventory as lib.inventory_of([deployment, policy({"matchLabels": {"app": "telecom-ai-platform"}})])
	v.field == ["spec", "template", "metadata", "labels"]
}
