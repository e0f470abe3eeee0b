package gitopsgen.rules.service_target_port_missing_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.service_target_port_missing

deployment(spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"selector": {"matchLabels": {"app": "api"}},
	"template": {"metadata": {"labels": {"app": "api"}}, "spec": spec},
}}

with_inventory(o, others) := {"review": {"object": o}}

service(target) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "app"}, "spec": {"selector": {"app": "api"}, "ports": [{"port": 80, "targetPort": target}]}}

pods := deployment({"containers": [{"name": "api", "ports": [{"name": "http", "containerPort": 8080}]}]})

test_named_target_port_passes if {
	s := service("http")
	count(service_target_port_missing.violation) == 0 with input as {"review": {"object": s}} with data.inventory as lib.inventory_of([s, pods])
}

test_unknown_named_target_port_fails if {
	s := service("web")
	some v in service_target_port_missing.violation with input as {"review": {"object": s}} with data.inventory as lib.inventory_of([s, pods])
	v.field == ["spec", "ports", 0, "targetPort"]
}

test_undeclared_numeric_target_port_fails if {
	s := service(9090)
	count(service_target_port_missing.violation) == 1 with input as {"review": {"object": s}} with data.inventory as lib.inventory_of([s, pods])
}
