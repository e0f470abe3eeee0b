# METADATA
# title: Pods with restricted ingress restrict egress too
# description: "A workload whose ingress a NetworkPolicy restricts but whose egress none does can still reach every service, the cloud metadata endpoint and the internet: a compromised pod exfiltrates freely. Restrict both directions."
# custom:
#   id: network-policy-egress-restricted
#   severity: warning
#   category: networking
#   remediation: Add Egress to a NetworkPolicy that selects the pods, allowing DNS and the destinations the app calls.
#   remediation_blueprint: Add networkPolicy.egress to the blueprint (the destinations the app calls; DNS stays allowed).
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.network_policy_egress_restricted

import rego.v1

import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_template_path
import data.gitopsgen.lib.selecting_network_policies

violation contains {"msg": "NetworkPolicies restrict the pods' ingress but none restricts their egress", "field": array.concat(pod_template_path(obj), ["labels"])} if {
	some_policy_restricts("Ingress")
	not some_policy_restricts("Egress")
}

some_policy_restricts(direction) if {
	some p in selecting_network_policies
	direction in policy_types(p)
}

# policyTypes as Kubernetes defaults it: Ingress, plus Egress when the policy has egress rules.
policy_types(p) := p.spec.policyTypes

policy_types(p) := {"Ingress", "Egress"} if {
	not p.spec.policyTypes
	p.spec.egress
}

policy_types(p) := {"Ingress"} if {
	not p.spec.policyTypes
	not p.spec.egress
}
