# METADATA
# title: Referenced Secrets are created by something in the set
# description: "A container env, envFrom or volume that refers to a Secret that no Secret, ExternalSecret (its target name) or SealedSecret in the set creates leaves the pod unable to start. References marked optional: true are exempt."
# custom:
#   id: secret-ref-missing
#   severity: error
#   category: references
#   remediation: "Create the Secret through an ExternalSecret (spec.target.name) in the same namespace, fix the name, or mark the reference optional: true."
#   remediation_blueprint: Add an externalSecrets entry whose name is the Secret's name to the blueprint, or fix the name in env[].secretKeyRef / envFrom / volumes[].secret.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.secret_ref_missing

import rego.v1

import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.object_refs
import data.gitopsgen.lib.secrets_created

violation contains {"msg": msg, "field": ref.path} if {
	some ref in object_refs
	ref.kind == "Secret"
	not ref.optional
	not ref.name in secrets_created(namespace)
	msg := sprintf("Secret %v is not created by any Secret, ExternalSecret or SealedSecret in namespace %s", [ref.name, namespace])
}
