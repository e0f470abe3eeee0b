package gitopsgen.rules.ingress_duplicate_path_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.ingress_duplicate_path

ingress(name, spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name, "namespace": "app"}, "spec": spec}

rules(host) := [{"host": host, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 80}}}}]}}]

test_distinct_hosts_pass if {
	a := ingress("a", {"rules": rules("a.example.com")})
	b := ingress("b", {"rules": rules("b.example.com")})
	count(ingress_duplicate_path.violation) == 0 with input as {"review": {"object": a}} with data.inventory as lib.inventory_of([a, b])
}

test_same_host_and_path_fails if {
	a := ingress("a", {"rules": rules("shop.example.com")})
	b := ingress("b", {"rules": rules("shop.example.com")})
	some v in ingress_duplicate_path.violation with input as {"review": {"object": a}} with data.inventory as lib.inventory_of([a, b])
	v.msg == "host \"shop.example.com\" path / is also routed by Ingress b"
}

test_a_host_of_another_type_is_written_as_it_is if {
	# %q stopped the interpreter on a host that is not text, where the VM read the message as undefined
	a := ingress("a", {"rules": rules(7)})
	b := ingress("b", {"rules": rules(7)})
	some v in ingress_duplicate_path.violation with input as {"review": {"object": a}} with data.inventory as lib.inventory_of([a, b])
	v.msg == "host 7 path / is also routed by Ingress b"
}
