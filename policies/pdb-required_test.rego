package gitopsgen.rules.pdb_required_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pdb_required

deployment(replicas) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "market-data", "namespace": "wave2"}, "spec": {
	"replicas": replicas,
	"template": {"metadata": {"labels": {"app": "market-data"}}, "spec": {"containers": [{"name": "ws"}]}},
}}

pdb := {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "market-data", "namespace": "wave2"}, "spec": {
	"minAvailable": 2,
	"selector": {"matchLabels": {"app": "market-data"}},
}}

test_replicated_deployment_with_pdb_passes if {
	count(pdb_required.violation) == 0 with input as {"review": {"object": deployment(3)}}
		with data.inventory as lib.inventory_of([deployment(3), pdb])
}

test_single_replica_needs_no_pdb if {
	count(pdb_required.violation) == 0 with input as {"review": {"object": deployment(1)}}
		with data.inventory as lib.inventory_of([deployment(1)])
}

test_replicated_deployment_without_pdb_fails if {
	count(pdb_required.violation) == 1 with input as {"review": {"object": deployment(3)}}
		with data.inventory as lib.inventory_of([deployment(3)])
}

test_hpa_min_replicas_counts if {
	hpa := {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "market-data", "namespace": "wave2"}, "spec": {
		"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "market-data"},
		"minReplicas": 3, "maxReplicas": 15,
	}}
	d := object.remove(deployment(1), ["spec/replicas"])
	count(pdb_required.violation) == 1 with input as {"review": {"object": d}}
		with data.inventory as lib.inventory_of([d, hpa])
}
