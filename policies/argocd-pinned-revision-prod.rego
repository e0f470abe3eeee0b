# METADATA
# title: Production Argo CD Applications track a tag or commit
# description: In production every Application source has a targetRevision that is a release tag or a commit SHA, not HEAD, a branch name or empty, so a merge to a branch cannot change production by itself.
# custom:
#   id: argocd-pinned-revision-prod
#   severity: error
#   category: argocd
#   remediation: "Set spec.source.targetRevision to a tag or a commit SHA in production Applications."
#   remediation_blueprint: "Set argocd.targetRevision to a tag or commit SHA in overlays/<prod env>.yaml."
#   kinds: [Application]
package gitopsgen.rules.argocd_pinned_revision_prod

import rego.v1

import data.gitopsgen.lib.argocd_sources
import data.gitopsgen.lib.is_prod
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.parameters

params := parameters("argocd-pinned-revision-prod")

default pinned_patterns := [
	`^[0-9a-f]{7,40}$`,
	`^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$`,
	`^(refs/tags/|release-|rel-)[0-9A-Za-z._-]+$`,
]

pinned_patterns := params.pinned_patterns

violation contains {"msg": msg, "field": array.concat(entry.path, ["targetRevision"])} if {
	is_prod
	kind == "Application"
	some entry in argocd_sources
	revision := object.get(entry.source, "targetRevision", "")
	not pinned(revision)
	msg := sprintf("targetRevision %q floats (HEAD, a branch or empty); pin a tag or commit SHA in %s", [sprintf("%v", [revision]), input.env])
}

pinned(revision) if {
	is_string(revision)
	revision != "HEAD"
	some pattern in pinned_patterns
	regex.match(pattern, revision)
}
