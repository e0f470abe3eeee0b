# METADATA
# title: Automated pruning in production is an explicit decision
# description: In production an Application with syncPolicy.automated.prune true must carry the annotation gitopsgen.io/allow-auto-prune "true"; otherwise deleting a file from Git silently deletes live resources.
# custom:
#   id: argocd-prune-opt-in-prod
#   severity: error
#   category: argocd
#   remediation: "Remove spec.syncPolicy.automated.prune, or annotate the Application with gitopsgen.io/allow-auto-prune: \"true\" once pruning was reviewed."
#   remediation_blueprint: "Set argocd.allowPrune: true in the production overlay once pruning was reviewed, or remove prune from argocd.syncPolicy.automated."
#   kinds: [Application]
package gitopsgen.rules.argocd_prune_opt_in_prod

import rego.v1

import data.gitopsgen.lib.is_prod
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["spec", "syncPolicy", "automated", "prune"]} if {
	is_prod
	kind == "Application"
	obj.spec.syncPolicy.automated.prune == true
	not object.get(obj, ["metadata", "annotations", "gitopsgen.io/allow-auto-prune"], "") == "true"
	msg := sprintf("automated prune is on in %s without the annotation gitopsgen.io/allow-auto-prune: \"true\"", [input.env])
}
