# METADATA
# title: No object is emitted twice
# description: "Two documents with the same kind, namespace and name are one object in the cluster: the last one applied wins, and Argo CD reports the app as out of sync or shared between sources."
# custom:
#   id: duplicate-object
#   severity: error
#   category: correctness
#   remediation: Remove one of the copies or give them different names (or namespaces).
#   remediation_blueprint: "Two blueprints (or a blueprint and an extra manifest) emit the same object: rename one app or remove the extra manifest."
#   kinds: []
package gitopsgen.rules.duplicate_object

import rego.v1

import data.gitopsgen.lib.obj

# data.duplicates is keyed <api group>/<kind>/<namespace>/<name>, the namespace empty for
# cluster-scoped kinds and "default" for a namespaced object without one: trying both finds the key.
violation contains {"msg": msg, "field": ["metadata", "name"]} if {
	count(data.duplicates) > 0 # most batches hold none: no key to build
	version_parts := split(object.get(obj, "apiVersion", ""), "/")
	group := concat("/", array.slice(version_parts, 0, count(version_parts) - 1))
	some ns in {object.get(obj, ["metadata", "namespace"], "default"), ""}
	key := sprintf("%s/%s/%s/%v", [group, object.get(obj, "kind", ""), ns, object.get(obj, ["metadata", "name"], "")])
	sources := data.duplicates[key]
	msg := sprintf("this object is emitted %d times (%s)", [count(sources), concat(", ", sort({s | some s in sources}))])
}
