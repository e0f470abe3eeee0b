package gitopsgen.rules.service_type_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.service_type

service(spec) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "app"}, "spec": spec}

test_cluster_ip_passes if {
	count(service_type.violation) == 0 with input as {"review": {"object": service({"ports": [{"port": 80}]})}}
}

test_node_port_fails if {
	count(service_type.violation) == 1 with input as {"review": {"object": service({"type": "NodePort"})}}
}

test_allowed_load_balancer_passes if {
	count(service_type.violation) == 0 with input as {"review": {"object": service({"type": "LoadBalancer"})}, "parameters": {"allowed_types": ["ClusterIP", "LoadBalancer"]}}
}
