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

# KEDA scales through an HPA of its own: replicas next to a ScaledObject fight it the same way.
scaled_object(target) := {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "api-queue", "namespace": "app"}, "spec": {"scaleTargetRef": target, "triggers": []}}

test_replicas_with_scaled_object_fails if {
	d := object.union(deployment({"app": "api"}, {"app": "api"}, {}), {"spec": {"replicas": 3}})
	s := scaled_object({"name": "api"})
	some v in replicas_with_hpa.violation with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d, s])
	v.msg == "spec.replicas 3 is set while ScaledObject api-queue scales this workload"
}

test_scaled_object_of_another_kind_passes if {
	d := object.union(deployment({"app": "api"}, {"app": "api"}, {}), {"spec": {"replicas": 3}})
	s := scaled_object({"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "api"})
	count(replicas_with_hpa.violation) == 0 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d, s])
}

test_replicas_on_a_rollout_with_hpa_fails if {
	r := object.union(deployment({"app": "api"}, {"app": "api"}, {}), {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "spec": {"replicas": 3}})
	h := json.patch(hpa, [{"op": "replace", "path": "/spec/scaleTargetRef", "value": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "api"}}])
	count(replicas_with_hpa.violation) == 1 with input as {"review": {"object": r}} with data.inventory as lib.inventory_of([r, h])
}
