package gitopsgen.rules.service_selector_dangling_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.service_selector_dangling

deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "ai-prism-prod"}, "spec": {
	"template": {"metadata": {"labels": {"app.kubernetes.io/name": "ai-prism-api", "tier": "api"}}, "spec": {"containers": [{"name": "api"}]}},
}}

service(selector) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "ai-prism-prod"}, "spec": {"selector": selector}}

test_matching_selector_passes if {
	s := service({"app.kubernetes.io/name": "ai-prism-api"})
	count(service_selector_dangling.violation) == 0 with input as {"review": {"object": s}}
		with data.inventory as lib.inventory_of([deployment, s])
}

test_typo_in_selector_fails if {
	s := service({"app.kubernetes.io/name": "ai-prsm-api"})
	count(service_selector_dangling.violation) == 1 with input as {"review": {"object": s}}
		with data.inventory as lib.inventory_of([deployment, s])
}

test_service_without_selector_is_ignored if {
	s := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "external", "namespace": "ai-prism-prod"}, "spec": {"type": "ExternalName", "externalName": "db.example.com"}}
	count(service_selector_dangling.violation) == 0 with input as {"review": {"object": s}}
		with data.inventory as lib.inventory_of([s])
}

# Argo Rollouts: a Rollout's pod template selects like a Deployment's; a Rollout with workloadRef
# runs the referenced Deployment's template (the Deployment itself is scaled to zero).
rollout := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "api-gateway", "namespace": "ai-prism-prod"}, "spec": {
	"template": {"metadata": {"labels": {"app.kubernetes.io/name": "api-gateway"}}, "spec": {"containers": [{"name": "api"}]}},
}}

referencing_rollout := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "api", "namespace": "ai-prism-prod"}, "spec": {
	"workloadRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
}}

test_service_of_a_rollout_passes if {
	s := service({"app.kubernetes.io/name": "api-gateway"})
	count(service_selector_dangling.violation) == 0 with input as {"review": {"object": s}}
		with data.inventory as lib.inventory_of([rollout, s])
}

test_service_of_a_rollout_with_another_label_fails if {
	s := service({"app.kubernetes.io/name": "api-gateway-canary"})
	count(service_selector_dangling.violation) == 1 with input as {"review": {"object": s}}
		with data.inventory as lib.inventory_of([rollout, s])
}

test_service_of_a_rollout_with_workload_ref_passes if {
	s := service({"app.kubernetes.io/name": "ai-prism-api"})
	count(service_selector_dangling.violation) == 0 with input as {"review": {"object": s}}
		with data.inventory as lib.inventory_of([referencing_rollout, deployment, s])
}
