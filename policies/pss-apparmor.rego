# METADATA
# title: AppArmor is not disabled
# description: The baseline Pod Security Standard forbids overriding the runtime's AppArmor profile with Unconfined, through securityContext.appArmorProfile or the older container.apparmor.security.beta.kubernetes.io annotations; only RuntimeDefault and Localhost profiles are allowed.
# custom:
#   id: pss-apparmor
#   severity: error
#   category: pod-security
#   pss: {profile: baseline, control: "AppArmor"}
#   remediation: "Remove the Unconfined AppArmor profile: set securityContext.appArmorProfile.type RuntimeDefault (or Localhost with a profile), or drop the annotation."
#   remediation_blueprint: Remove the overlay or patch that sets an Unconfined AppArmor profile; the blueprint's pods use the runtime default.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.pss_apparmor

import rego.v1

import data.gitopsgen.lib.pod_annotations
import data.gitopsgen.lib.pod_template_path
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.security_contexts

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

violation contains {"msg": msg, "field": array.concat(sc.path, ["appArmorProfile", "type"])} if {
	some sc in security_contexts
	sc.context.appArmorProfile.type == "Unconfined"
	msg := sprintf("%s runs with AppArmor Unconfined (PSS baseline: AppArmor)", [sc.label])
}

violation contains {"msg": msg, "field": array.concat(pod_template_path(obj), ["annotations", key])} if {
	some key, value in pod_annotations
	startswith(key, annotation_prefix)
	not allowed_annotation(value)
	msg := sprintf("container %q runs with AppArmor profile %v (PSS baseline: AppArmor)", [trim_prefix(key, annotation_prefix), value])
}

allowed_annotation(value) if value == "runtime/default"

allowed_annotation(value) if {
	is_string(value)
	startswith(value, "localhost/")
}
