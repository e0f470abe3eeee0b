# METADATA
# title: Probes target a port the container declares
# description: A probe whose httpGet, tcpSocket or grpc port names a port the container does not declare never succeeds; a numeric port must be one of the declared containerPorts when the container declares any.
# custom:
#   id: probe-port-exists
#   severity: error
#   remediation: Point the probe at a named port from the container's ports (blueprint ports[].name), or add the port.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob]
package gitopsgen.rules.probe_port_exists

import rego.v1

import data.gitopsgen.lib.all_containers

violation contains {"msg": msg, "field": array.concat(entry.path, [probe, handler, "port"])} if {
	some entry in all_containers
	some probe in ["livenessProbe", "readinessProbe", "startupProbe"]
	some handler, action in entry.container[probe] # not [probe][handler]: slow in regorus
	handler in {"httpGet", "tcpSocket", "grpc"}
	port := action.port
	not declared(entry.container, port)
	msg := sprintf("%s of container %q uses port %v, which the container does not declare", [probe, entry.container.name, port])
}

declared(container, port) if {
	is_string(port)
	some p in container.ports
	p.name == port
}

declared(container, port) if {
	is_number(port)
	some p in container.ports
	p.containerPort == port
}

declared(container, port) if {
	is_number(port)
	count(object.get(container, "ports", [])) == 0
}
