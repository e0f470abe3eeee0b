# METADATA
# title: SELinux options stay within the allowed types
# description: The baseline Pod Security Standard allows only the container_t, container_init_t, container_kvm_t and container_engine_t SELinux types and forbids setting a custom SELinux user or role, which could give the container the rights of a host process.
# custom:
#   id: pss-selinux
#   severity: error
#   category: pod-security
#   pss: {profile: baseline, control: "SELinux"}
#   remediation: Remove securityContext.seLinuxOptions.user and .role, and use one of the allowed types (or leave seLinuxOptions unset).
#   remediation_blueprint: Remove the overlay or patch that sets securityContext.seLinuxOptions; the blueprint leaves SELinux to the runtime.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.pss_selinux

import rego.v1

import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.security_contexts

params := parameters("pss-selinux")

default allowed_types := ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]

allowed_types := params.allowed_types

violation contains {"msg": msg, "field": array.concat(sc.path, ["seLinuxOptions", "type"])} if {
	some sc in security_contexts
	selinux_type := sc.context.seLinuxOptions.type
	not selinux_type in allowed_types
	msg := sprintf("%s uses SELinux type %v (PSS baseline: SELinux)", [sc.label, selinux_type])
}

violation contains {"msg": msg, "field": array.concat(sc.path, ["seLinuxOptions", option])} if {
	some sc in security_contexts
	some option in ["user", "role"]
	value := sc.context.seLinuxOptions[option]
	value != ""
	msg := sprintf("%s sets SELinux %s %v (PSS baseline: SELinux)", [sc.label, option, value])
}
