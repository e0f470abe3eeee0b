package gitopsgen.rules.hpa_target_dangling_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.hpa_target_dangling

deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ab-testing", "namespace": "atlas"}, "spec": {}}

hpa(name) := {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "ab-testing", "namespace": "atlas"}, "spec": {
	"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
	"maxReplicas": 5,
}}

test_existing_target_passes if {
	count(hpa_target_dangling.violation) == 0 with input as {"review": {"object": hpa("ab-testing")}}
		with data.inventory as lib.inventory_of([deployment, hpa("ab-testing")])
}

test_missing_target_fails if {
	count(hpa_target_dangling.violation) == 1 with input as {"review": {"object": hpa("ab-test")}}
		with data.inventory as lib.inventory_of([deployment, hpa("ab-test")])
}
