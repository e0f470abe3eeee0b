# METADATA
# title: Egress policies leave DNS open
# description: "When NetworkPolicies restrict a pod's egress and none of them allows port 53, the pod cannot resolve any name: every outgoing call fails although the destinations themselves are allowed."
# custom:
#   id: network-policy-blocks-dns
#   severity: error
#   category: networking
#   remediation: "Add an egress rule to port 53 (UDP and TCP) towards kube-system's DNS pods (namespaceSelector kubernetes.io/metadata.name: kube-system) to a policy that selects the pods."
#   remediation_blueprint: Leave networkPolicy.allowDNS true in the blueprint (the default) when you set networkPolicy.egress.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.network_policy_blocks_dns

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_template_path
import data.gitopsgen.lib.selecting_network_policies

violation contains {"msg": msg, "field": array.concat(pod_template_path(obj), ["labels"])} if {
	count(egress_policies) > 0
	not some_policy_allows_dns
	names := sort({object.get(p, ["metadata", "name"], "(unnamed)") | some p in egress_policies})
	msg := sprintf("NetworkPolicies %s restrict egress and none allows DNS (port 53)", [concat(", ", names)])
}

egress_policies := [p |
	some p in selecting_network_policies
	restricts_egress(p)
]

restricts_egress(p) if "Egress" in object.get(p, ["spec", "policyTypes"], [])

restricts_egress(p) if {
	not p.spec.policyTypes
	p.spec.egress
}

some_policy_allows_dns if {
	some p in egress_policies
	some rule in items_at(p, ["spec", "egress"])
	allows_dns(rule)
}

# A rule without ports allows every port; otherwise port 53 (or a port named dns) must be listed.
# A rule, a port or a protocol of another type allows nothing (as the VM and OPA read it: undefined).
allows_dns(rule) if {
	is_object(rule)
	ports := object.get(rule, "ports", [])
	is_array(ports)
	count(ports) == 0
}

allows_dns(rule) if {
	some port in items_at(rule, ["ports"])
	is_object(port)
	object.get(port, "port", 53) in {53, "dns", "dns-tcp"}
	protocol := object.get(port, "protocol", "UDP")
	is_string(protocol)
	upper(protocol) in {"UDP", "TCP"}
}
