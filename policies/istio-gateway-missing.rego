# METADATA
# title: Istio routes name a Gateway that exists
# description: A VirtualService (spec.gateways) or a Flagger Canary (spec.service.gateways, which Flagger copies into the VirtualService it writes) that routes through an Istio Gateway nothing creates serves none of its hosts through that gateway. A name without a namespace means the route's own namespace. Checked only where the set manages Istio Gateways (otherwise the platform provides them) - a bare name when the set defines any, a <namespace>/<name> when it defines one in that namespace; mesh and names written as host names (with dots) are not checked.
# custom:
#   id: istio-gateway-missing
#   severity: error
#   category: references
#   remediation: Name an Istio Gateway (networking.istio.io) that exists, as <name> in the route's namespace or as <namespace>/<name>, or create it.
#   remediation_blueprint: Define the Gateway in namespaces/<namespace>.yaml (gateways.<name>), or fix rollout.gateways or mesh.virtualService.gateways.
#   kinds: [VirtualService, Canary]
package gitopsgen.rules.istio_gateway_missing

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj

# The names of the Istio Gateways the set defines in namespace ns (Gateway API's Gateway is another kind).
istio_gateways(ns) := {name |
	some api_version, of_kind in data.inventory.namespace[ns]
	startswith(api_version, "networking.istio.io/")
	some name, _ in object.get(of_kind, "Gateway", {})
}

defines_any if {
	some ns, _ in data.inventory.namespace
	count(istio_gateways(ns)) > 0
}

gateway_refs contains [["spec", "gateways", i], name] if {
	kind == "VirtualService"
	startswith(object.get(obj, "apiVersion", ""), "networking.istio.io/")
	some i, name in items_at(obj, ["spec", "gateways"])
}

gateway_refs contains [["spec", "service", "gateways", i], name] if {
	kind == "Canary"
	startswith(object.get(obj, "apiVersion", ""), "flagger.app/")
	some i, name in items_at(obj, ["spec", "service", "gateways"])
}

# A bare name: the route's namespace, checked when the set defines any Istio Gateway.
checked(name) := [namespace, name] if {
	is_string(name)
	name != "mesh"
	not contains(name, "/")
	not contains(name, ".")
	defines_any
}

# <namespace>/<name>: checked when the set defines a Gateway in that namespace.
checked(ref) := [parts[0], parts[1]] if {
	is_string(ref)
	parts := split(ref, "/")
	count(parts) == 2
	not contains(parts[1], ".")
	count(istio_gateways(parts[0])) > 0
}

violation contains {"msg": msg, "field": at} if {
	some [at, ref] in gateway_refs
	[ns, name] := checked(ref)
	not name in istio_gateways(ns)
	msg := sprintf("%s routes through Istio Gateway %s/%s, which nothing in the set creates", [kind, ns, name])
}
