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
import data.gitopsgen.lib.countable
import data.gitopsgen.lib.items_at

# Every port a probe targets, {"entry", "probe", "handler", "port", "protocols"}, walked once for both
# rules; protocols: the protocol (TCP when unset) of each port the container declares that the
# probe's port names (by name, or by number), none when it names none.
probed_ports := [{"entry": entry, "probe": probe, "handler": handler, "port": port, "protocols": protocols} |
	some entry in all_containers
	declared := [declared_port | some declared_port in items_at(entry.container, "ports")]
	some probe in ["livenessProbe", "readinessProbe", "startupProbe"]
	probe_object := entry.container[probe]
	some handler in ["httpGet", "tcpSocket", "grpc"]
	port := probe_object[handler].port
	protocols := [object.get(declared_port, "protocol", "TCP") | some declared_port in declared; names_port(declared_port, port)]
]

violation contains {"msg": msg, "field": array.concat(p.entry.path, [p.probe, p.handler, "port"])} if {
	some p in probed_ports
	count(p.protocols) == 0
	not undeclared_allowed(p.entry.container, p.port)
	msg := sprintf("%s of container %q uses port %v, which the container does not declare", [p.probe, p.entry.label, p.port])
}

violation contains {"msg": msg, "field": array.concat(p.entry.path, [p.probe, p.handler, "port"])} if {
	some p in probed_ports
	some protocol in p.protocols
	udp(protocol)
	not some_tcp(p.protocols) # 53/UDP and 53/TCP: the probe reaches the TCP one
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

# A numeric port needs no declaration when the container declares no ports.
undeclared_allowed(container, port) if {
	is_number(port)
	ports := object.get(container, "ports", [])
	countable(ports)
	count(ports) == 0
}

udp(protocol) if {
	is_string(protocol)
	upper(protocol) == "UDP"
}

some_tcp(protocols) if {
	some protocol in protocols
	is_string(protocol)
	upper(protocol) != "UDP"
}
