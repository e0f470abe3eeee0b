package gitopsgen.rules.ingress_nginx_snippet_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.ingress_nginx_snippet

ingress(name, spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name, "namespace": "app"}, "spec": spec}

rules(host) := [{"host": host, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 80}}}}]}}]

annotated(annotations) := object.union(ingress("a", {"rules": rules("a.example.com")}), {"metadata": {"annotations": annotations}})

test_plain_annotations_pass if {
	count(ingress_nginx_snippet.violation) == 0 with input as {"review": {"object": annotated({"nginx.ingress.kubernetes.io/proxy-body-size": "8m"})}}
}

test_configuration_snippet_fails if {
	count(ingress_nginx_snippet.violation) == 1 with input as {"review": {"object": annotated({"nginx.ingress.kubernetes.io/configuration-snippet": "more_set_headers \"X: y\";"})}}
}
