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
