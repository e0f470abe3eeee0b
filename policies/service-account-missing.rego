# METADATA
# title: The pod's ServiceAccount exists
# description: "A pod that names a ServiceAccount nothing in the set creates is rejected by the ServiceAccount admission controller: the ReplicaSet retries forever."
# custom:
#   id: service-account-missing
#   severity: error
#   category: references
#   remediation: Add the ServiceAccount to the manifests, or fix spec.serviceAccountName.
#   remediation_blueprint: Leave serviceAccount.create true in the blueprint (gitopsgen creates the account), or fix serviceAccount.name.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.service_account_missing

import rego.v1

import data.gitopsgen.lib.names_in
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.pod_spec
import data.gitopsgen.lib.spec_path

violation contains {"msg": msg, "field": array.concat(spec_path, ["serviceAccountName"])} if {
	account := object.get(pod_spec, "serviceAccountName", "default")
	not account in {"default", ""}
	not account in names_in(namespace, "ServiceAccount")
	msg := sprintf("ServiceAccount %v does not exist in namespace %s", [account, namespace])
}
