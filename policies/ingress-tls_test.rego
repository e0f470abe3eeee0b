package gitopsgen.rules.ingress_tls_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.ingress_tls

ingress(name, spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name, "namespace": "app"}, "spec": spec}

rules(host) := [{"host": host, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 80}}}}]}}]

test_tls_host_passes if {
	i := ingress("api", {"rules": rules("api.example.com"), "tls": [{"hosts": ["*.example.com"], "secretName": "wildcard"}]})
	count(ingress_tls.violation) == 0 with input as {"review": {"object": i}}
}

test_host_without_tls_fails if {
	i := ingress("api", {"rules": rules("api.example.com"), "tls": [{"hosts": ["www.example.com"], "secretName": "www"}]})
	some v in ingress_tls.violation with input as {"review": {"object": i}}
	v.field == ["spec", "rules", 0, "host"]
}
