package gitopsgen.rules.replicas_with_hpa_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.replicas_with_hpa

deployment(selector, labels, spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"selector": {"matchLabels": selector},
	"template": {"metadata": {"labels": labels}, "spec": spec},
}}

hpa := {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "api", "namespace": "app"}, "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}, "minReplicas": 2, "maxReplicas": 5}}

test_no_replicas_with_hpa_passes if {
	d := deployment({"app": "api"}, {"app": "api"}, {})
	count(replicas_with_hpa.violation) == 0 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d, hpa])
}

test_replicas_without_hpa_passes if {
	d := object.union(deployment({"app": "api"}, {"app": "api"}, {}), {"spec": {"replicas": 3}})
	count(replicas_with_hpa.violation) == 0 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d])
}

test_replicas_with_hpa_fails if {
	d := object.union(deployment({"app": "api"}, {"app": "api"}, {}), {"spec": {"replicas": 3}})
	count(replicas_with_hpa.violation) == 1 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d, hpa])
}
