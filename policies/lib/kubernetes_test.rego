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
