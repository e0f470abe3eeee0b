package gitopsgen.rules.ingress_backend_dangling_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.ingress_backend_dangling

service := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ai-prism-api", "namespace": "ai-prism-prod"}, "spec": {
	"selector": {"app": "ai-prism-api"},
	"ports": [{"name": "http", "port": 8080, "targetPort": "http"}],
}}

ingress(name, port) := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "api", "namespace": "ai-prism-prod"}, "spec": {"rules": [{
	"host": "api.ai-prism.com",
	"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": name, "port": port}}}]},
}]}}

test_existing_service_and_port_pass if {
	i := ingress("ai-prism-api", {"number": 8080})
	count(ingress_backend_dangling.violation) == 0 with input as {"review": {"object": i}}
		with data.inventory as lib.inventory_of([service, i])
}

test_missing_service_fails if {
	i := ingress("ai-prism", {"name": "http"})
	some v in ingress_backend_dangling.violation with input as {"review": {"object": i}}
		with data.inventory as lib.inventory_of([service, i])
	v.field == ["spec", "rules", 0, "http", "paths", 0, "backend", "service", "name"]
}

test_missing_port_fails if {
	i := ingress("ai-prism-api", {"number": 80})
	count(ingress_backend_dangling.violation) == 1 with input as {"review": {"object": i}}
		with data.inventory as lib.inventory_of([service, i])
}

# Flagger creates the Services <service>, <service>-primary and <service>-canary from a Canary.
canary(service) := {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "ai-prism-api", "namespace": "ai-prism-prod"}, "spec": {
	"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "ai-prism-api"},
	"service": service,
	"analysis": {"interval": "1m"},
}}

test_services_flagger_creates_from_a_canary_pass if {
	c := canary({"port": 8080, "targetPort": "http"})
	every name in ["ai-prism-api", "ai-prism-api-primary", "ai-prism-api-canary"] {
		every port in [{"name": "http"}, {"number": 8080}] {
			i := ingress(name, port)
			count(ingress_backend_dangling.violation) == 0 with input as {"review": {"object": i}}
				with data.inventory as lib.inventory_of([c, i])
		}
	}
}

test_a_canary_service_name_and_port_name_are_used if {
	c := canary({"name": "api", "port": 80, "portName": "web"})
	i := ingress("api-primary", {"name": "web"})
	count(ingress_backend_dangling.violation) == 0 with input as {"review": {"object": i}}
		with data.inventory as lib.inventory_of([c, i])
	j := ingress("ai-prism-api", {"name": "web"})
	count(ingress_backend_dangling.violation) == 1 with input as {"review": {"object": j}}
		with data.inventory as lib.inventory_of([c, j])
}

test_a_port_the_canary_service_does_not_expose_fails if {
	c := canary({"port": 8080})
	i := ingress("ai-prism-api", {"name": "metrics"})
	some v in ingress_backend_dangling.violation with input as {"review": {"object": i}}
		with data.inventory as lib.inventory_of([c, i])
	v.field == ["spec", "rules", 0, "http", "paths", 0, "backend", "service", "port"]
}

test_a_canary_of_another_api_group_creates_nothing if {
	c := json.patch(canary({"port": 8080}), [{"op": "replace", "path": "/apiVersion", "value": "example.com/v1"}])
	i := ingress("ai-prism-api", {"number": 8080})
	count(ingress_backend_dangling.violation) == 1 with input as {"review": {"object": i}}
		with data.inventory as lib.inventory_of([c, i])
}

test_a_service_and_a_canary_of_one_name_are_both_candidates if {
	# the set holds Service ai-prism-api (port 8080) and a Canary whose Service Flagger names ai-prism-api too (port 9090)
	c := canary({"port": 9090, "portName": "grpc"})
	every port in [{"number": 8080}, {"name": "grpc"}] {
		i := ingress("ai-prism-api", port)
		count(ingress_backend_dangling.violation) == 0 with input as {"review": {"object": i}}
			with data.inventory as lib.inventory_of([service, c, i])
	}
	j := ingress("ai-prism-api", {"number": 7070})
	count(ingress_backend_dangling.violation) == 1 with input as {"review": {"object": j}}
		with data.inventory as lib.inventory_of([service, c, j])
}
