# METADATA
# title: The workload's selector matches its pod template
# description: A Deployment, StatefulSet, DaemonSet, ReplicaSet or Rollout whose spec.selector does not match its own pod template's labels is rejected by the API server, or (with matchExpressions) never counts its own pods.
# custom:
#   id: selector-mismatch
#   severity: error
#   category: correctness
#   remediation: Make spec.selector.matchLabels a subset of spec.template.metadata.labels.
#   remediation_blueprint: "The blueprint derives both from name: remove the overlay patch or podLabels entry that changes one of them."
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, Rollout]
package gitopsgen.rules.selector_mismatch

import rego.v1

import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_template_labels
import data.gitopsgen.lib.selector_matches

violation contains {"msg": "spec.selector does not match the pod template's labels", "field": ["spec", "selector"]} if {
	selector := obj.spec.selector
	not selector_matches(selector, pod_template_labels(obj))
}
