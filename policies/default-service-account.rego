# METADATA
# title: Pods do not run as the default service account
# description: A pod without spec.serviceAccountName runs as the namespace's default service account, which it shares with every other such pod; any permission granted to one is granted to all.
# custom:
#   id: default-service-account
#   severity: warning
#   category: rbac
#   remediation: "Create a ServiceAccount for the workload and set spec.serviceAccountName (with automountServiceAccountToken: false unless it calls the API)."
#   remediation_blueprint: Set serviceAccount in the blueprint (gitopsgen creates one per app by default; do not set serviceAccount.create false without a name).
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.default_service_account

import rego.v1

import data.gitopsgen.lib.pod_spec
import data.gitopsgen.lib.spec_path

violation contains {"msg": "the pod runs as the default service account of its namespace", "field": array.concat(spec_path, ["serviceAccountName"])} if {
	spec_path
	object.get(pod_spec, "serviceAccountName", object.get(pod_spec, "serviceAccount", "default")) in {"default", ""}
}
