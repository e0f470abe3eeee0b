# METADATA
# title: Source Hydrator Applications are consistent
# description: An Application with spec.sourceHydrator sets no source or sources of its own, names its dry source (repoURL and path), hydrates into a branch other than the dry revision, at a path below the repository root, stages (hydrateTo) on a branch other than the one it syncs, and shares no branch and path with another Application linted with it (the two would overwrite each other's manifests).
# custom:
#   id: argocd-source-hydrator-consistent
#   severity: error
#   category: argocd
#   remediation: "Fix the spec.sourceHydrator fields named in the message: no spec.source(s) beside it, drySource.repoURL and path set, syncSource.targetBranch other than the dry revision, a path below the root, hydrateTo.targetBranch other than syncSource's, and a branch and path no other Application uses."
#   remediation_blueprint: Let gitopsgen write the Application (gitops.delivery source-hydrator), or fix the sourceHydrator fields named in the message.
#   kinds: [Application]
package gitopsgen.rules.argocd_source_hydrator_consistent

import rego.v1

import data.gitopsgen.lib.display_name
import data.gitopsgen.lib.inventory_of_kind
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.name
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.quoted

hydrator := value if {
	kind == "Application"
	value := obj.spec.sourceHydrator
	is_object(value)
}

sync_branch := object.get(hydrator, ["syncSource", "targetBranch"], "")

sync_path := object.get(hydrator, ["syncSource", "path"], "")

violation contains {"msg": msg, "field": ["spec", field]} if {
	hydrator
	some field in ["source", "sources"]
	obj.spec[field]
	msg := sprintf("spec.%s is set next to spec.sourceHydrator; Argo CD syncs the hydrated branch: remove spec.%s", [field, field])
}

violation contains {"msg": msg, "field": ["spec", "sourceHydrator", "drySource", field]} if {
	hydrator
	some field in ["repoURL", "path"]
	object.get(hydrator, ["drySource", field], "") == ""
	msg := sprintf("sourceHydrator.drySource.%s is missing; name where the dry manifests live", [field])
}

# (The message sits in the head: a string literal assigned in the body is mangled by the compiled mode's guard.)
violation contains {"msg": "sourceHydrator.syncSource.targetBranch is missing; name the branch Argo CD hydrates into and syncs from", "field": ["spec", "sourceHydrator", "syncSource", "targetBranch"]} if {
	hydrator
	sync_branch == ""
}

violation contains {"msg": msg, "field": ["spec", "sourceHydrator", "syncSource", "targetBranch"]} if {
	hydrator
	sync_branch != ""
	sync_branch == object.get(hydrator, ["drySource", "targetRevision"], "")
	msg := sprintf("syncSource.targetBranch %s is the dry source's own revision; hydrate into a separate branch such as environments/<env>", [quoted(sync_branch)])
}

violation contains {"msg": msg, "field": ["spec", "sourceHydrator", "syncSource", "path"]} if {
	hydrator
	not below_root(sync_path)
	msg := sprintf("syncSource.path %s must be a folder below the repository root (no leading /, no ..); Argo CD refuses to hydrate into the root", [quoted(sync_path)])
}

violation contains {"msg": msg, "field": ["spec", "sourceHydrator", "hydrateTo", "targetBranch"]} if {
	hydrator
	staging := object.get(hydrator, ["hydrateTo", "targetBranch"], "")
	staging != ""
	staging == sync_branch
	msg := sprintf("hydrateTo.targetBranch %s is the branch it syncs; stage on another branch (e.g. %v-next) or drop hydrateTo", [quoted(staging), sync_branch])
}

violation contains {"msg": msg, "field": ["spec", "sourceHydrator", "syncSource", "path"]} if {
	hydrator
	some other in inventory_of_kind(namespace, "Application")
	display_name(other) != name
	object.get(other, ["spec", "sourceHydrator", "syncSource", "targetBranch"], "") == sync_branch
	other_path := object.get(other, ["spec", "sourceHydrator", "syncSource", "path"], "")
	is_string(other_path)
	is_string(sync_path)
	trim_suffix(other_path, "/") == trim_suffix(sync_path, "/")
	msg := sprintf("Application %s also hydrates into %s:%s; give each Application its own syncSource.path", [display_name(other), sync_branch, sync_path])
}

below_root(path) if {
	is_string(path)
	not path in {"", ".", "./", "/"}
	not startswith(path, "/")
	not ".." in split(path, "/")
}
