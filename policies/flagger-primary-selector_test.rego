package gitopsgen.rules.flagger_primary_selector_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.flagger_primary_selector

pod_labels := {"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api", "team": "prism"}

deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "prism"}, "spec": {
	"selector": {"matchLabels": {"app.kubernetes.io/name": "api"}},
	"template": {"metadata": {"labels": pod_labels}, "spec": {"containers": [{"name": "api"}]}},
}}

canary := {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "api", "namespace": "prism"}, "spec": {
	"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
	"service": {"port": 8080},
}}

pdb(selector) := {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "api", "namespace": "prism"}, "spec": {"maxUnavailable": 1, "selector": selector}}

policy(spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "api", "namespace": "prism"}, "spec": spec}

service(selector) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api-direct", "namespace": "prism"}, "spec": {"selector": selector, "ports": [{"port": 80}]}}

review(o) := {"review": {"object": o}}

test_pdb_on_the_rewritten_label_fails if {
	p := pdb({"matchLabels": {"app.kubernetes.io/name": "api"}})
	some v in flagger_primary_selector.violation with input as review(p) with data.inventory as lib.inventory_of([deployment, canary, p])
	v.field == ["spec", "selector"]
	v.msg == "PodDisruptionBudget api selects the pods of Deployment api by app.kubernetes.io/name=api, which Flagger sets to api-primary on the pods of api-primary that serve the traffic (Canary api): select on a label Flagger copies unchanged"
}

test_pdb_on_a_label_flagger_copies_passes if {
	p := pdb({"matchLabels": {"app.kubernetes.io/instance": "api"}})
	count(flagger_primary_selector.violation) == 0 with input as review(p) with data.inventory as lib.inventory_of([deployment, canary, p])
}

test_pdb_without_a_canary_passes if {
	p := pdb({"matchLabels": {"app.kubernetes.io/name": "api"}})
	count(flagger_primary_selector.violation) == 0 with input as review(p) with data.inventory as lib.inventory_of([deployment, p])
}

test_canary_of_another_workload_passes if {
	other := object.union(canary, {"spec": {"targetRef": {"name": "worker"}}})
	p := pdb({"matchLabels": {"app.kubernetes.io/name": "api"}})
	count(flagger_primary_selector.violation) == 0 with input as review(p) with data.inventory as lib.inventory_of([deployment, other, p])
}

test_network_policy_pod_selector_fails if {
	p := policy({"podSelector": {"matchLabels": {"app.kubernetes.io/name": "api"}}, "policyTypes": ["Ingress"]})
	some v in flagger_primary_selector.violation with input as review(p) with data.inventory as lib.inventory_of([deployment, canary, p])
	v.field == ["spec", "podSelector"]
}

test_network_policy_match_expression_fails if {
	p := policy({"podSelector": {"matchExpressions": [{"key": "app.kubernetes.io/name", "operator": "In", "values": ["api"]}]}})
	count(flagger_primary_selector.violation) == 1 with input as review(p) with data.inventory as lib.inventory_of([deployment, canary, p])
}

test_network_policy_selecting_both_passes if {
	p := policy({"podSelector": {"matchExpressions": [{"key": "app.kubernetes.io/name", "operator": "In", "values": ["api", "api-primary"]}]}})
	count(flagger_primary_selector.violation) == 0 with input as review(p) with data.inventory as lib.inventory_of([deployment, canary, p])
}

test_network_policy_peer_in_the_namespace_fails if {
	peer := {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "api"}}}
	p := policy({"podSelector": {"matchLabels": {"app": "db"}}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}, peer]}]})
	some v in flagger_primary_selector.violation with input as review(p) with data.inventory as lib.inventory_of([deployment, canary, p])
	v.field == ["spec", "ingress", 0, "from", 1, "podSelector"]
}

test_network_policy_peer_in_other_namespaces_passes if {
	peer := {"namespaceSelector": {}, "podSelector": {"matchLabels": {"app.kubernetes.io/name": "api"}}}
	p := policy({"podSelector": {"matchLabels": {"app": "db"}}, "egress": [{"to": [peer]}]})
	count(flagger_primary_selector.violation) == 0 with input as review(p) with data.inventory as lib.inventory_of([deployment, canary, p])
}

test_service_selector_fails if {
	s := service({"app.kubernetes.io/name": "api"})
	count(flagger_primary_selector.violation) == 1 with input as review(s) with data.inventory as lib.inventory_of([deployment, canary, s])
}

test_service_selecting_the_primary_passes if {
	s := service({"app.kubernetes.io/name": "api-primary"})
	count(flagger_primary_selector.violation) == 0 with input as review(s) with data.inventory as lib.inventory_of([deployment, canary, s])
}

test_peer_authentication_fails if {
	pa := {"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication", "metadata": {"name": "api", "namespace": "prism"}, "spec": {
		"selector": {"matchLabels": {"app.kubernetes.io/name": "api"}},
		"mtls": {"mode": "STRICT"},
	}}
	some v in flagger_primary_selector.violation with input as review(pa) with data.inventory as lib.inventory_of([deployment, canary, pa])
	v.field == ["spec", "selector", "matchLabels"]
}

# Flagger takes the first of its selector labels the target's selector has: with app there,
# app.kubernetes.io/name is copied unchanged and selecting on it still matches the primary.
test_only_the_first_selector_label_is_rewritten_passes if {
	labels := object.union(pod_labels, {"app": "api"})
	d := object.union(deployment, {"spec": {"selector": {"matchLabels": {"app": "api", "app.kubernetes.io/name": "api"}}, "template": {"metadata": {"labels": labels}}}})
	p := pdb({"matchLabels": {"app.kubernetes.io/name": "api"}})
	count(flagger_primary_selector.violation) == 0 with input as review(p) with data.inventory as lib.inventory_of([d, canary, p])
}

test_the_first_selector_label_fails if {
	labels := object.union(pod_labels, {"app": "api"})
	d := object.union(deployment, {"spec": {"selector": {"matchLabels": {"app": "api", "app.kubernetes.io/name": "api"}}, "template": {"metadata": {"labels": labels}}}})
	p := pdb({"matchLabels": {"app": "api"}})
	count(flagger_primary_selector.violation) == 1 with input as review(p) with data.inventory as lib.inventory_of([d, canary, p])
}

test_other_selector_labels_from_the_parameters_fail if {
	p := pdb({"matchLabels": {"app.kubernetes.io/instance": "api"}})
	d := object.union(deployment, {"spec": {"selector": {"matchLabels": {"app.kubernetes.io/instance": "api"}}}})
	vs := flagger_primary_selector.violation with input as {"review": {"object": p}, "parameters": {"selector_labels": ["app.kubernetes.io/instance"]}}
		with data.inventory as lib.inventory_of([d, canary, p])
	count(vs) == 1
}
