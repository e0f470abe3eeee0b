# METADATA
# title: Argo CD Applications point at a rendered path
# description: The source path of an Application exists among the directories gitopsgen rendered (rendered/), as the linter sees them in data.project.rendered_paths; a typo there makes Argo CD sync nothing.
# custom:
#   id: argocd-path-exists
#   severity: error
#   remediation: Run gitopsgen render, and check the app name and environment in the overlay's argocd settings.
#   kinds: [Application]
package gitopsgen.rules.argocd_path_exists

import rego.v1

import data.gitopsgen.lib

violation contains {"msg": msg, "field": array.concat(entry.path, ["path"])} if {
	lib.kind == "Application"
	known := {normalized(p) | some p in data.project.rendered_paths}
	some entry in lib.argocd_sources
	path := entry.source.path
	not normalized(path) in known
	msg := sprintf("source path %q does not exist in rendered/", [path])
}

normalized(path) := trim_suffix(trim_prefix(path, "./"), "/")
