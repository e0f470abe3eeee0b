# METADATA
# title: Pods set only safe sysctls
# description: The baseline Pod Security Standard allows only the namespaced sysctls known to be safe (kernel.shm_rmid_forced, the net.ipv4 port range, ping group, syncookies and keepalive settings); any other sysctl can affect every pod on the node.
# custom:
#   id: pss-sysctls
#   severity: error
#   category: pod-security
#   pss: {profile: baseline, control: "Sysctls"}
#   remediation: Remove the sysctl from securityContext.sysctls, or tune the node instead.
#   remediation_blueprint: Remove the overlay or patch that sets securityContext.sysctls; blueprints do not set sysctls.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.pss_sysctls

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.pod_spec
import data.gitopsgen.lib.spec_path

params := parameters("pss-sysctls")

default safe := [
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
]

safe := params.safe

violation contains {"msg": msg, "field": array.concat(spec_path, ["securityContext", "sysctls", i, "name"])} if {
	some i, sysctl in items_at(pod_spec, ["securityContext", "sysctls"])
	is_object(sysctl)
	sysctl_name := object.get(sysctl, "name", "")
	not sysctl_name in safe
	msg := sprintf("sysctl %v is not in the safe set (PSS baseline: Sysctls)", [sysctl_name])
}
