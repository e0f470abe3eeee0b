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

rollout := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "api-gateway", "namespace": "atlas"}, "spec": {}}

scaled_object(target) := {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "worker", "namespace": "atlas"}, "spec": {
	"scaleTargetRef": target,
	"triggers": [{"type": "aws-sqs-queue", "metadata": {"queueLength": "5"}}],
}}

vpa(target) := {"apiVersion": "autoscaling.k8s.io/v1", "kind": "VerticalPodAutoscaler", "metadata": {"name": "ab-testing", "namespace": "atlas"}, "spec": {"targetRef": target}}

test_hpa_of_a_rollout_passes if {
	h := json.patch(hpa("api-gateway"), [{"op": "replace", "path": "/spec/scaleTargetRef", "value": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "api-gateway"}}])
	count(hpa_target_dangling.violation) == 0 with input as {"review": {"object": h}}
		with data.inventory as lib.inventory_of([rollout, h])
}

# A ScaledObject's target is a Deployment unless it says otherwise.
test_scaled_object_of_a_deployment_by_default_passes if {
	s := scaled_object({"name": "ab-testing"})
	count(hpa_target_dangling.violation) == 0 with input as {"review": {"object": s}}
		with data.inventory as lib.inventory_of([deployment, s])
}

test_scaled_object_of_a_rollout_passes if {
	s := scaled_object({"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "api-gateway"})
	count(hpa_target_dangling.violation) == 0 with input as {"review": {"object": s}}
		with data.inventory as lib.inventory_of([rollout, s])
}

test_scaled_object_of_a_missing_deployment_fails if {
	s := scaled_object({"name": "api-gateway"})
	some v in hpa_target_dangling.violation with input as {"review": {"object": s}}
		with data.inventory as lib.inventory_of([rollout, s])
	v.field == ["spec", "scaleTargetRef", "name"]
	contains(v.msg, "Deployment/api-gateway")
}

test_vpa_of_a_missing_workload_fails if {
	v := vpa({"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "ab-testing"})
	some finding in hpa_target_dangling.violation with input as {"review": {"object": v}}
		with data.inventory as lib.inventory_of([deployment, v])
	finding.field == ["spec", "targetRef", "name"]
}

test_vpa_of_an_existing_workload_passes if {
	v := vpa({"apiVersion": "apps/v1", "kind": "Deployment", "name": "ab-testing"})
	count(hpa_target_dangling.violation) == 0 with input as {"review": {"object": v}}
		with data.inventory as lib.inventory_of([deployment, v])
}
