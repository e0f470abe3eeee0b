package gitopsgen.rules.probe_port_exists_test

import rego.v1

import data.gitopsgen.rules.probe_port_exists

pod(probe_port) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{
	"name": "api",
	"ports": [{"name": "http", "containerPort": 8080}, {"name": "metrics", "containerPort": 8081}],
	"livenessProbe": {"httpGet": {"path": "/health/live", "port": probe_port}},
}]}}

test_named_port_passes if {
	count(probe_port_exists.violation) == 0 with input as {"review": {"object": pod("http")}}
}

test_numeric_port_passes if {
	count(probe_port_exists.violation) == 0 with input as {"review": {"object": pod(8081)}}
}

test_unknown_named_port_fails if {
	some v in probe_port_exists.violation with input as {"review": {"object": pod("healthz")}}
	v.field == ["spec", "containers", 0, "livenessProbe", "httpGet", "port"]
}

test_undeclared_numeric_port_fails if {
	count(probe_port_exists.violation) == 1 with input as {"review": {"object": pod(9000)}}
}

test_probe_on_a_udp_port_fails if {
	p := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{
		"name": "dns", "ports": [{"name": "dns", "containerPort": 53, "protocol": "UDP"}],
		"readinessProbe": {"tcpSocket": {"port": "dns"}},
	}]}}
	some v in probe_port_exists.violation with input as {"review": {"object": p}}
	contains(v.msg, "UDP")
}

test_probe_on_a_port_declared_for_tcp_and_udp_passes if {
	p := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{
		"name": "dns", "ports": [{"containerPort": 53, "protocol": "UDP"}, {"containerPort": 53, "protocol": "TCP"}],
		"readinessProbe": {"tcpSocket": {"port": 53}},
	}]}}
	count(probe_port_exists.violation) == 0 with input as {"review": {"object": p}}
}
