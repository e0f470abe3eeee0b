package gitopsgen.rules.ingress_wildcard_host_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.ingress_wildcard_host

ingress(name, spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name, "namespace": "app"}, "spec": spec}

rules(host) := [{"host": host, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 80}}}}]}}]

test_plain_host_passes if {
	count(ingress_wildcard_host.violation) == 0 with input as {"review": {"object": ingress("a", {"rules": rules("a.example.com")})}}
}

test_wildcard_host_fails if {
	count(ingress_wildcard_host.violation) == 1 with input as {"review": {"object": ingress("a", {"rules": rules("*.example.com")})}}
}
