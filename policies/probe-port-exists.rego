# METADATA
# title: Probes target a port the container declares
# description: A probe whose httpGet, tcpSocket or grpc port names a port the container does not declare never succeeds; a numeric port must be one of the declared containerPorts when the container declares any.
# custom:
#   id: probe-port-exists
#   severity: error
#   category: correctness
#   remediation: "Point the probe at a TCP port the container declares in ports[] (by name or number)."
#   remediation_blueprint: "Point the probe at a named port from the blueprint's ports[].name, or add the port."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.probe_port_exists

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.items_at

# Every port a probe targets, {"entry", "probe", "handler", "port"}: walked once for both rules.
probed_ports := [{"entry": entry, "probe": probe, "handler": handler, "port": action.port} |
	some entry in all_containers
	some probe in ["livenessProbe", "readinessProbe", "startupProbe"]
	some handler, action in items_at(entry, ["container", probe])
	handler in {"httpGet", "tcpSocket", "grpc"}
]

violation contains {"msg": msg, "field": array.concat(p.entry.path, [p.probe, p.handler, "port"])} if {
	some p in probed_ports
	not declared(p.entry.container, p.port)
	msg := sprintf("%s of container %q uses port %v, which the container does not declare", [p.probe, p.entry.label, p.port])
}

violation contains {"msg": msg, "field": array.concat(p.entry.path, [p.probe, p.handler, "port"])} if {
	some p in probed_ports
	some declared_port in items_at(p.entry, ["container", "ports"])
	names_port(declared_port, p.port)
	upper(object.get(declared_port, "protocol", "TCP")) == "UDP"
	not tcp_declared(p.entry.container, p.port) # 53/UDP and 53/TCP: the probe reaches the TCP one
	msg := sprintf("%s of container %q uses port %v, which is UDP: the kubelet cannot probe it", [p.probe, p.entry.label, p.port])
}

names_port(declared_port, port) if {
	is_string(port)
	declared_port.name == port
}

names_port(declared_port, port) if {
	is_number(port)
	declared_port.containerPort == port
}

declared(container, port) if {
	some p in items_at(container, ["ports"])
	names_port(p, port)
}

declared(container, port) if {
	is_number(port)
	count(object.get(container, "ports", [])) == 0
}

tcp_declared(container, port) if {
	some declared_port in items_at(container, ["ports"])
	names_port(declared_port, port)
	upper(object.get(declared_port, "protocol", "TCP")) != "UDP"
}
