# METADATA
# title: ServiceMonitors select a Service with the scraped port
# description: "A ServiceMonitor whose selector matches no Service in its namespace, or whose endpoints name a port the selected Services do not have, scrapes nothing: the app's metrics and alerts silently go away."
# custom:
#   id: servicemonitor-target-missing
#   severity: error
#   category: references
#   remediation: Make spec.selector match the Service's labels and endpoints[].port name one of its ports.
#   remediation_blueprint: Set monitoring.serviceMonitor.port to one of the blueprint's service port names.
#   kinds: [ServiceMonitor]
package gitopsgen.rules.servicemonitor_target_missing

import rego.v1

import data.gitopsgen.lib.inventory_of_kind
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.selector_matches

violation contains {"msg": msg, "field": ["spec", "selector"]} if {
	same_namespace_only
	count(selected) == 0
	msg := sprintf("the selector matches no Service in namespace %s", [namespace])
}

violation contains {"msg": msg, "field": ["spec", "endpoints", i, "port"]} if {
	count(selected) > 0
	some i, endpoint in items_at(obj, ["spec", "endpoints"])
	port := endpoint.port
	not some_service_has(port)
	msg := sprintf("endpoint port %v is not a port name of the selected Services", [port])
}

# A ServiceMonitor that looks in other namespaces (namespaceSelector) is not checked for a missing Service.
same_namespace_only if count(object.get(obj, ["spec", "namespaceSelector"], {})) == 0

selected := [s |
	some s in inventory_of_kind(namespace, "Service")
	selector_matches(object.get(obj, ["spec", "selector"], {}), object.get(s, ["metadata", "labels"], {}))
]

some_service_has(port) if {
	some s in selected
	some p in items_at(s, ["spec", "ports"])
	p.name == port
}
