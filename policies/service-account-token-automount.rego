# METADATA
# title: Service account tokens are mounted only where the API is called
# description: "Kubernetes mounts a service account token into every pod unless the pod or its ServiceAccount sets automountServiceAccountToken: false; a stolen token acts with the account's permissions. Workloads that do not call the Kubernetes API should not carry one."
# custom:
#   id: service-account-token-automount
#   severity: warning
#   category: rbac
#   remediation: "Set automountServiceAccountToken: false on the pod spec (or on its ServiceAccount); set it true only for workloads that call the API."
#   remediation_blueprint: Leave serviceAccount.automountToken false in the blueprint (the default); set it true only if the app calls the Kubernetes API.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.service_account_token_automount

import rego.v1

import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.inventory_of_kind
import data.gitopsgen.lib.pod_spec
import data.gitopsgen.lib.spec_path

violation contains {"msg": msg, "field": array.concat(spec_path, ["automountServiceAccountToken"])} if {
	spec_path
	not pod_spec.automountServiceAccountToken == false
	not pod_spec.automountServiceAccountToken == true # an explicit true is a decision
	not account_opts_out
	msg := sprintf("the pod mounts a token of service account %v without asking for it", [account])
}

account := object.get(pod_spec, "serviceAccountName", object.get(pod_spec, "serviceAccount", "default"))

account_opts_out if {
	some sa in inventory_of_kind(namespace, "ServiceAccount")
	object.get(sa, ["metadata", "name"], "") == account
	sa.automountServiceAccountToken == false
}
