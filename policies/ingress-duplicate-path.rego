# METADATA
# title: No two Ingresses claim the same host and path
# description: "When two Ingresses route the same host and path, the controller picks one (which one depends on the controller and on creation order): a release of one app can silently take another's traffic."
# custom:
#   id: ingress-duplicate-path
#   severity: error
#   category: networking
#   remediation: Give each Ingress its own host or path, or merge the two.
#   remediation_blueprint: Change ingress.hosts[].host or paths in one of the blueprints so each app owns its routes.
#   kinds: [Ingress]
package gitopsgen.rules.ingress_duplicate_path

import rego.v1

import data.gitopsgen.lib.display_name
import data.gitopsgen.lib.inventory_of_kind
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.name
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.quoted

violation contains {"msg": msg, "field": ["spec", "rules", i, "http", "paths", j, "path"]} if {
	some i, rule in items_at(obj, ["spec", "rules"])
	is_object(rule)
	some j, path in items_at(rule, ["http", "paths"])
	is_object(path)
	host := object.get(rule, "host", "")
	route := object.get(path, "path", "/")
	some other in inventory_of_kind(namespace, "Ingress")
	display_name(other) != name
	claims(other, host, route)
	msg := sprintf("host %s path %v is also routed by Ingress %v", [quoted(host), route, display_name(other)])
}

claims(other, host, route) if {
	some rule in items_at(other, ["spec", "rules"])
	is_object(rule)
	object.get(rule, "host", "") == host
	some path in items_at(rule, ["http", "paths"])
	is_object(path)
	object.get(path, "path", "/") == route
}
