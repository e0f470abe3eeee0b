# METADATA
# title: Ingress backends name an existing Service and port
# description: Every backend of an Ingress (rules and defaultBackend) names a Service linted with it in the same namespace, and a port that Service exposes.
# custom:
#   id: ingress-backend-dangling
#   severity: error
#   remediation: Point the ingress at the app's Service (blueprint ingress and service), or add the Service port.
#   kinds: [Ingress]
package gitopsgen.rules.ingress_backend_dangling

import rego.v1

import data.gitopsgen.lib.inventory_of_kind
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj

backends contains [["spec", "rules", i, "http", "paths", j, "backend", "service"], path.backend.service] if {
	some i, rule in obj.spec.rules
	some j, path in rule.http.paths
	path.backend.service
}

backends contains [["spec", "defaultBackend", "service"], obj.spec.defaultBackend.service]

violation contains {"msg": msg, "field": array.concat(at, ["name"])} if {
	kind == "Ingress"
	some [at, backend] in backends
	not service(backend.name)
	msg := sprintf("backend Service %s does not exist in namespace %s", [backend.name, namespace])
}

violation contains {"msg": msg, "field": array.concat(at, ["port"])} if {
	kind == "Ingress"
	some [at, backend] in backends
	svc := service(backend.name)
	not exposes(svc, backend.port)
	msg := sprintf("backend Service %s has no port %v", [backend.name, object.get(backend.port, "name", object.get(backend.port, "number", "?"))])
}

service(name) := svc if {
	some svc in inventory_of_kind(namespace, "Service")
	svc.metadata.name == name
}

exposes(svc, port) if {
	some p in svc.spec.ports
	p.port == port.number
}

exposes(svc, port) if {
	some p in svc.spec.ports
	p.name == port.name
}
