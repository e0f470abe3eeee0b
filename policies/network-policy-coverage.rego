# METADATA
# title: Every workload is selected by a NetworkPolicy
# description: The pods of every workload are selected by at least one NetworkPolicy in their namespace, so their traffic is restricted to what is declared.
# custom:
#   id: network-policy-coverage
#   severity: error
#   remediation: Add networkPolicy to the blueprint (ingress from the ingress controller, egress to what the app calls).
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob]
package gitopsgen.rules.network_policy_coverage

import rego.v1

import data.gitopsgen.lib

violation contains {"msg": msg, "field": array.concat(lib.pod_template_path(lib.obj), ["labels"])} if {
	lib.kind in lib.workload_kinds
	not covered
	msg := sprintf("no NetworkPolicy in namespace %s selects the pods of %s %s", [lib.namespace, lib.kind, lib.name])
}

covered if {
	some policy in lib.inventory_of_kind(lib.namespace, "NetworkPolicy")
	lib.selector_matches(object.get(policy, ["spec", "podSelector"], {}), lib.pod_template_labels(lib.obj))
}
