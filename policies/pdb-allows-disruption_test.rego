package gitopsgen.rules.pdb_allows_disruption_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pdb_allows_disruption

deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ai-engine", "namespace": "atlas"}, "spec": {
	"template": {"metadata": {"labels": {"app": "ai-engine"}}, "spec": {"containers": [{"name": "engine"}]}},
}}

hpa(minimum) := {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "ai-engine", "namespace": "atlas"}, "spec": {
	"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "ai-engine"},
	"minReplicas": minimum, "maxReplicas": 20,
}}

pdb(spec) := {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "ai-engine", "namespace": "atlas"}, "spec": object.union({"selector": {"matchLabels": {"app": "ai-engine"}}}, spec)}

test_min_available_below_hpa_minimum_passes if {
	p := pdb({"minAvailable": 2})
	count(pdb_allows_disruption.violation) == 0 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([deployment, hpa(3), p])
}

test_min_available_equal_to_hpa_minimum_fails if {
	p := pdb({"minAvailable": 3})
	count(pdb_allows_disruption.violation) == 1 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([deployment, hpa(3), p])
}

test_max_unavailable_zero_fails if {
	p := pdb({"maxUnavailable": 0})
	some v in pdb_allows_disruption.violation with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([deployment, p])
	v.field == ["spec", "maxUnavailable"]
}

test_percentage_rounding_up_to_every_replica_fails if {
	p := pdb({"minAvailable": "90%"})
	some v in pdb_allows_disruption.violation with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([deployment, hpa(3), p])
	contains(v.msg, "requires 3 of the 3 replicas")
}

test_percentage_leaving_one_replica_passes if {
	p := pdb({"minAvailable": "50%"})
	count(pdb_allows_disruption.violation) == 0 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([deployment, hpa(3), p])
}
