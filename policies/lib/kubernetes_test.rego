package gitopsgen.lib_test

import rego.v1

import data.gitopsgen.lib

cronjob := {
	"kind": "CronJob",
	"metadata": {"name": "report"},
	"spec": {"jobTemplate": {"spec": {"template": {
		"metadata": {"labels": {"app": "report"}},
		"spec": {
			"initContainers": [{"name": "init"}],
			"containers": [{"name": "main"}],
		},
	}}}},
}

test_containers_of_a_cronjob_include_init_containers_with_paths if {
	paths := {e.path | some e in lib.all_containers} with input as {"review": {"object": cronjob}}
	paths == {
		["spec", "jobTemplate", "spec", "template", "spec", "containers", 0],
		["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0],
	}
}

test_pod_template_labels_of_a_cronjob if {
	lib.pod_template_labels(cronjob) == {"app": "report"}
}

test_job_spec_of_a_cronjob_is_its_job_template_spec if {
	spec := lib.job_spec with input as {"review": {"object": cronjob}}
	spec.path == ["spec", "jobTemplate", "spec"]
	spec.spec.template.metadata.labels == {"app": "report"}
}

test_job_spec_of_a_job_and_of_a_cronjob_without_template if {
	job := lib.job_spec with input as {"review": {"object": {"kind": "Job", "spec": {"backoffLimit": 2}}}}
	job == {"spec": {"backoffLimit": 2}, "path": ["spec"]}
	bare := lib.job_spec with input as {"review": {"object": {"kind": "CronJob", "spec": {"schedule": "@daily"}}}}
	bare == {"spec": {}, "path": ["spec", "jobTemplate", "spec"]}
}

test_job_spec_is_undefined_for_other_kinds if {
	not lib.job_spec with input as {"review": {"object": {"kind": "Deployment", "spec": {}}}}
}

test_selector_with_expressions if {
	lib.selector_matches(
		{"matchLabels": {"app": "a"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["api"]}]},
		{"app": "a", "tier": "api"},
	)
	not lib.selector_matches({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, {"tier": "api"})
}

test_empty_label_selector_matches_everything_and_maps_match_exactly if {
	lib.selector_matches({"matchLabels": {}}, {"app": "a"})
	lib.map_matches({"app": "a"}, {"app": "a", "tier": "web"})
	not lib.map_matches({}, {"app": "a"})
	not lib.map_matches({"app": "b"}, {"app": "a"})
}

test_security_value_falls_back_to_pod if {
	pod := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"securityContext": {"runAsUser": 10001}, "containers": [{"name": "c"}]}}
	lib.security_value({"name": "c"}, "runAsUser") == 10001 with input as {"review": {"object": pod}}
}

# --- the object by its place in data.inventory (the compiled path's input) -------------------

by_place := lib.obj

place_inventory := {
	"namespace": {"shop": {"apps/v1": {"Deployment": {"web": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}}}}},
	"cluster": {"rbac.authorization.k8s.io/v1": {"ClusterRole": {"reader": {"kind": "ClusterRole", "metadata": {"name": "reader"}}}}},
}

test_the_object_is_read_at_its_place_in_the_inventory if {
	deployment := by_place with input as {"at": ["shop", "apps/v1", "Deployment", "web"]} with data.inventory as place_inventory
	deployment.kind == "Deployment"
	role := by_place with input as {"at": [null, "rbac.authorization.k8s.io/v1", "ClusterRole", "reader"]} with data.inventory as place_inventory
	role.kind == "ClusterRole"
	not by_place with input as {"at": ["shop", "apps/v1", "Deployment", "api"]} with data.inventory as place_inventory
	own := by_place with input as {"review": {"object": {"kind": "Pod"}}, "at": ["shop", "apps/v1", "Deployment", "web"]} with data.inventory as place_inventory
	own.kind == "Pod"
}

# --- autoscalers ---------------------------------------------------------------

# (Through rules of this package: regorus leaves a lib function that reads data.inventory
# undefined when the test calls it directly under `with data.inventory`.)
floor := lib.min_replicas(input.review.object)

scalers := lib.autoscalers_of(input.review.object)

services := lib.services_in(input.namespace)

scaled_deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "worker", "namespace": "jobs"}, "spec": {"replicas": 4}}

worker_hpa(name, minimum) := {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": name, "namespace": "jobs"}, "spec": {
	"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "worker"},
	"minReplicas": minimum, "maxReplicas": 10,
}}

worker_scaled_object := {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "worker-queue", "namespace": "jobs"}, "spec": {"scaleTargetRef": {"name": "worker"}}}

test_min_replicas_without_autoscaler_is_spec_replicas if {
	floor == 4 with input as {"review": {"object": scaled_deployment}} with data.inventory as lib.inventory_of([scaled_deployment])
}

test_min_replicas_of_an_hpa if {
	floor == 3 with input as {"review": {"object": scaled_deployment}} with data.inventory as lib.inventory_of([scaled_deployment, worker_hpa("worker", 3)])
}

# KEDA's minReplicaCount defaults to 0: a queue worker may scale to nothing.
test_min_replicas_of_a_scaled_object_defaults_to_zero if {
	floor == 0 with input as {"review": {"object": scaled_deployment}} with data.inventory as lib.inventory_of([scaled_deployment, worker_scaled_object])
}

# Two autoscalers of one workload: the lower floor counts (and the function stays defined).
test_min_replicas_with_two_autoscalers_is_the_lowest if {
	inventory := lib.inventory_of([scaled_deployment, worker_hpa("worker", 5), worker_hpa("worker-low", 2)])
	floor == 2 with input as {"review": {"object": scaled_deployment}} with data.inventory as inventory
}

test_autoscalers_of_name_kind_and_floor if {
	found := scalers with input as {"review": {"object": scaled_deployment}} with data.inventory as lib.inventory_of([scaled_deployment, worker_hpa("worker", 3), worker_scaled_object])
	{s | some s in found} == {
		{"kind": "HorizontalPodAutoscaler", "name": "worker", "min_replicas": 3},
		{"kind": "ScaledObject", "name": "worker-queue", "min_replicas": 0},
	}
}

test_canary_services_are_apex_primary_and_canary if {
	canary := {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "api", "namespace": "web"}, "spec": {
		"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
		"service": {"port": 8080},
	}}
	found := services with input as {"namespace": "web"} with data.inventory as lib.inventory_of([canary])
	{[s.metadata.name, s.spec.ports] | some s in found} == {
		["api", [{"name": "http", "port": 8080}]],
		["api-primary", [{"name": "http", "port": 8080}]],
		["api-canary", [{"name": "http", "port": 8080}]],
	}
}

test_a_canary_whose_service_is_no_object_makes_no_service if {
	# the interpreter stopped on object.get(null, ...) here, the VM read it as undefined
	canaries := [{"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": sprintf("api-%d", [i]), "namespace": "web"}, "spec": {
		"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
		"service": service,
	}} |
		some i, service in [null, "api", 8080, ["api"]]
	]
	found := services with input as {"namespace": "web"} with data.inventory as lib.inventory_of(canaries)
	count(found) == 0
}

test_a_selector_matches_key_by_key if {
	# a label with the selector's value under another key does not match
	not lib.map_matches({"app": "web"}, {"app": "web-report", "part-of": "web"})
	not lib.selector_matches({"matchLabels": {"app": "web"}}, {"app": "web-report", "part-of": "web"})
}

test_items_at_is_undefined_on_a_malformed_object if {
	lib.items_at({"a": {"b": [1]}}, ["a", "b"]) == [1]
	lib.items_at({"a": {"b": 1}}, "a") == {"b": 1}
	not lib.items_at({"a": "latest"}, "a")
	not lib.items_at({"a": null}, "a")
	not lib.items_at("latest", "a")
	not lib.items_at({}, "a")
	lib.object_at({}, ["a", "b"]) == {}
	not lib.object_at({"a": {"b": 5}}, ["a", "b"])
}

test_malformed_containers_and_volumes_are_left_out if {
	pod := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": ["latest", {"name": 1}], "initContainers": "x", "volumes": [2, {"name": "v"}]}}
	[e.label | some e in lib.all_containers] == ["1"] with input as {"review": {"object": pod}}
	[e.label | some e in lib.pod_volumes] == ["v"] with input as {"review": {"object": pod}}
	not lib.pod_spec with input as {"review": {"object": {"kind": "Pod", "metadata": {"name": "p"}, "spec": "x"}}}
}

test_countable_is_what_count_takes if {
	every value in [[], {}, set(), "", [1], "x"] {
		lib.countable(value)
	}
	every value in [null, 7, 2.5, true] {
		not lib.countable(value)
	}
}
