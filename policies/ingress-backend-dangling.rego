# METADATA
# title: Ingress backends name an existing Service and port
# description: Every backend of an Ingress (rules and defaultBackend) names a Service linted with it in the same namespace, or one Flagger creates from a Canary there (<service>, <service>-primary, <service>-canary), and a port that Service exposes.
# custom:
#   id: ingress-backend-dangling
#   severity: error
#   category: references
#   remediation: "Point the Ingress backend at a Service (and port) that exists in the same namespace."
#   remediation_blueprint: "Point ingress.hosts[].paths[].port at a port the blueprint's service exposes, or enable service."
#   kinds: [Ingress]
package gitopsgen.rules.ingress_backend_dangling

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.services_in

backends contains [["spec", "rules", i, "http", "paths", j, "backend", "service"], path.backend.service] if {
	some i, rule in items_at(obj, ["spec", "rules"])
	some j, path in items_at(rule, ["http", "paths"])
	path.backend.service
}

backends contains [["spec", "defaultBackend", "service"], obj.spec.defaultBackend.service]

violation contains {"msg": msg, "field": array.concat(at, ["name"])} if {
	kind == "Ingress"
	some [at, backend] in backends
	is_object(backend)
	count(services_named(object.get(backend, "name", ""))) == 0
	msg := sprintf("backend Service %v does not exist in namespace %s", [object.get(backend, "name", "(unnamed)"), namespace])
}

violation contains {"msg": msg, "field": array.concat(at, ["port"])} if {
	kind == "Ingress"
	some [at, backend] in backends
	is_object(backend)
	candidates := services_named(backend.name)
	count(candidates) > 0
	not exposed_by_any(candidates, backend.port)
	msg := sprintf("backend Service %v has no port %v", [backend.name, port_label(object.get(backend, "port", {}))])
}

# A backend's port for a message: its name, else its number, else "?" (a port that is not an object: as it is).
port_label(port) := object.get(port, "name", object.get(port, "number", "?")) if is_object(port)

port_label(port) := port if not is_object(port)

# The Services of the namespace named name: one linted and the one Flagger creates from a Canary
# may share it (a set, not a function's single value, which two of them would make an error).
services_named(name) := [svc |
	some svc in services_in(namespace)
	object.get(svc, ["metadata", "name"], "") == name
]

exposed_by_any(candidates, port) if {
	some svc in candidates
	exposes(svc, port)
}

exposes(svc, port) if {
	some p in items_at(svc, ["spec", "ports"])
	p.port == port.number
}

exposes(svc, port) if {
	some p in items_at(svc, ["spec", "ports"])
	p.name == port.name
}
