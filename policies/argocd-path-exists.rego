# METADATA
# title: Argo CD Applications point at a rendered path
# description: An Application source path under one of the roots gitopsgen publishes to (data.project.rendered_roots, e.g. apps and argocd) names a directory gitopsgen rendered (data.project.rendered_paths); a typo there makes Argo CD sync nothing. Paths outside those roots (shared charts) are not checked.
# custom:
#   id: argocd-path-exists
#   severity: error
#   category: argocd
#   remediation: "Point spec.source.path at a directory that exists in the GitOps repository (or publish the app first)."
#   remediation_blueprint: "Run `gitopsgen render` so rendered/ holds the app's overlay, or fix the app name in the blueprint."
#   kinds: [Application]
package gitopsgen.rules.argocd_path_exists

import rego.v1

import data.gitopsgen.lib.argocd_sources
import data.gitopsgen.lib.kind

violation contains {"msg": msg, "field": array.concat(entry.path, ["path"])} if {
	kind == "Application"
	known := {normalized(p) | some p in data.project.rendered_paths}
	some entry in argocd_sources
	path := entry.source.path
	is_string(path)
	under_rendered_root(normalized(path))
	not normalized(path) in known
	msg := sprintf("source path %q does not exist in rendered/", [path])
}

under_rendered_root(path) if {
	some root in data.project.rendered_roots
	startswith(path, concat("", [root, "/"]))
}

normalized(path) := trim_suffix(trim_prefix(path, "./"), "/")
