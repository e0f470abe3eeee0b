# METADATA
# title: Service targetPorts exist on the selected pods
# description: "A Service port whose targetPort names a port no selected pod declares (or a number none declares, when they declare ports) has no endpoints for that port: traffic to it is refused."
# custom:
#   id: service-target-port-missing
#   severity: error
#   category: references
#   remediation: Set targetPort to a containerPort (or port name) the selected pods declare, or add the port to the container.
#   remediation_blueprint: Make service.ports[].targetPort name one of the blueprint's ports[].name.
#   kinds: [Service]
package gitopsgen.rules.service_target_port_missing

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_spec_of
import data.gitopsgen.lib.selector_workloads

violation contains {"msg": msg, "field": ["spec", "ports", i, "targetPort"]} if {
	count(selector_workloads) > 0
	some i, port in items_at(obj, ["spec", "ports"])
	is_object(port)
	target := object.get(port, "targetPort", object.get(port, "port", ""))
	not some_pod_serves(target)
	msg := sprintf("targetPort %v of port %v is declared by none of the pods the Service selects", [target, object.get(port, "port", "?")])
}


some_pod_serves(target) if {
	some w in selector_workloads
	serves(pod_spec_of(w), target)
}

serves(spec, target) if {
	is_string(target)
	some c in items_at(spec, ["containers"])
	some p in items_at(c, ["ports"])
	p.name == target
}

serves(spec, target) if {
	is_number(target)
	some c in items_at(spec, ["containers"])
	some p in items_at(c, ["ports"])
	p.containerPort == target
}

# A numeric targetPort on pods that declare no ports at all may still be served.
serves(spec, target) if {
	is_number(target)
	every c in spec.containers {
		is_object(c)
		count(object.get(c, "ports", [])) == 0
	}
}
