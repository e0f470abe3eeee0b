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

# Argo Rollouts: the pods of a Rollout are selected through its pod template.
rollout := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "web-frontend", "namespace": "ihcl-ai"}, "spec": {
	"template": {"metadata": {"labels": {"app.kubernetes.io/name": "web-frontend"}}, "spec": {"containers": [{"name": "web"}]}},
}}

test_policy_selecting_a_rollout_passes if {
	p := policy({"matchLabels": {"app.kubernetes.io/name": "web-frontend"}})
	count(network_policy_dangling.violation) == 0 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([rollout, p])
}

test_policy_selecting_no_rollout_pod_fails if {
	p := policy({"matchLabels": {"app.kubernetes.io/name": "web-frontend-preview"}})
	count(network_policy_dangling.violation) == 1 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([rollout, p])
}
