# METADATA
# title: Every workload is selected by a NetworkPolicy
# description: The pods of every workload are selected by at least one NetworkPolicy in their namespace, so their traffic is restricted to what is declared.
# custom:
#   id: network-policy-coverage
#   severity: error
#   category: networking
#   remediation: "Add a NetworkPolicy whose podSelector selects the workload's pod labels (ingress from what calls it, egress to what it calls)."
#   remediation_blueprint: "Add networkPolicy to the blueprint (ingress from the ingress controller, egress to what the app calls)."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.network_policy_coverage

import rego.v1

import data.gitopsgen.lib.kind
import data.gitopsgen.lib.name
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_template_path
import data.gitopsgen.lib.selecting_network_policies
import data.gitopsgen.lib.workload_kinds

violation contains {"msg": msg, "field": array.concat(pod_template_path(obj), ["labels"])} if {
	kind in workload_kinds
	not covered
	msg := sprintf("no NetworkPolicy in namespace %s selects the pods of %s %s", [namespace, kind, name])
}

covered if count(selecting_network_policies) > 0
