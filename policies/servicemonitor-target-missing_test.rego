package gitopsgen.rules.servicemonitor_target_missing_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.servicemonitor_target_missing

service := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "app", "labels": {"app": "api"}}, "spec": {"ports": [{"name": "metrics", "port": 9090}]}}

monitor(labels, port) := {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": {"name": "api", "namespace": "app"}, "spec": {"selector": {"matchLabels": labels}, "endpoints": [{"port": port}]}}

test_matching_service_and_port_passes if {
	m := monitor({"app": "api"}, "metrics")
	count(servicemonitor_target_missing.violation) == 0 with input as {"review": {"object": m}} with data.inventory as lib.inventory_of([m, service])
}

test_selector_matching_nothing_fails if {
	m := monitor({"app": "web"}, "metrics")
	some v in servicemonitor_target_missing.violation with input as {"review": {"object": m}} with data.inventory as lib.inventory_of([m, service])
	v.field == ["spec", "selector"]
}

test_unknown_port_fails if {
	m := monitor({"app": "api"}, "http-metrics")
	some v in servicemonitor_target_missing.violation with input as {"review": {"object": m}} with data.inventory as lib.inventory_of([m, service])
	v.field == ["spec", "endpoints", 0, "port"]
}
