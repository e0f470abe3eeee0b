package gitopsgen.rules.no_host_access_test

import rego.v1

import data.gitopsgen.rules.no_host_access

daemonset(spec) := {"kind": "DaemonSet", "metadata": {"name": "agent"}, "spec": {"template": {"spec": spec}}}

test_plain_pod_spec_passes if {
	spec := {"containers": [{"name": "c", "ports": [{"containerPort": 8080}]}], "volumes": [{"name": "tmp", "emptyDir": {}}]}
	count(no_host_access.violation) == 0 with input as {"review": {"object": daemonset(spec)}}
}

test_host_network_path_and_port_fail if {
	spec := {
		"hostNetwork": true,
		"containers": [{"name": "c", "ports": [{"containerPort": 8080, "hostPort": 8080}]}],
		"volumes": [{"name": "root", "hostPath": {"path": "/"}}],
	}
	violations := no_host_access.violation with input as {"review": {"object": daemonset(spec)}}
	{v.field | some v in violations} == {
		["spec", "template", "spec", "hostNetwork"],
		["spec", "template", "spec", "volumes", 0, "hostPath"],
		["spec", "template", "spec", "containers", 0, "ports", 0, "hostPort"],
	}
}

test_host_port_zero_is_no_host_port_passes if {
	spec := {"containers": [{"name": "c", "ports": [{"containerPort": 8080, "hostPort": 0}]}]}
	count(no_host_access.violation) == 0 with input as {"review": {"object": daemonset(spec)}}
}

test_an_unnamed_host_path_volume_is_named_by_its_place if {
	spec := {"containers": [{"name": "c"}], "volumes": [{"emptyDir": {}}, {"hostPath": {"path": "/var/run"}}]}
	some v in no_host_access.violation with input as {"review": {"object": daemonset(spec)}}
	v.msg == "volume \"volumes[1]\" mounts the host path /var/run (PSS baseline: HostPath Volumes)"
	v.field == ["spec", "template", "spec", "volumes", 1, "hostPath"]
}
