# METADATA
# title: Selectors use no label that changes between releases
# description: "spec.selector of a Deployment, StatefulSet, DaemonSet or ReplicaSet is immutable: a label that changes with each release (version, app.kubernetes.io/version, helm.sh/chart) in it makes the next release fail to apply, and Argo CD shows the app as failing to sync."
# custom:
#   id: mutable-selector-label
#   severity: error
#   category: correctness
#   remediation: Select on stable labels only (app.kubernetes.io/name, app.kubernetes.io/instance); keep version labels on the pod template, outside the selector.
#   remediation_blueprint: "Do not put version labels into the selector: blueprints select on app.kubernetes.io/name; move the label to podLabels."
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, Rollout]
package gitopsgen.rules.mutable_selector_label

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.parameters

params := parameters("mutable-selector-label")

default mutable := ["version", "app.kubernetes.io/version", "helm.sh/chart", "chart", "app.kubernetes.io/revision"]

mutable := params.mutable

violation contains {"msg": msg, "field": ["spec", "selector", "matchLabels", key]} if {
	some key, _ in items_at(obj, ["spec", "selector", "matchLabels"])
	key in mutable
	msg := sprintf("the immutable selector uses %s, which changes between releases", [key])
}

violation contains {"msg": msg, "field": ["spec", "selector", "matchExpressions", i, "key"]} if {
	some i, expression in items_at(obj, ["spec", "selector", "matchExpressions"])
	expression.key in mutable
	msg := sprintf("the immutable selector uses %s, which changes between releases", [expression.key])
}
