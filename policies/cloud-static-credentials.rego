# METADATA
# title: No long-lived cloud keys where workload identity is set up
# description: When the pod's ServiceAccount carries a workload identity annotation (EKS IRSA or Pod Identity, GKE Workload Identity, Azure Workload Identity), the SDKs get short-lived credentials on their own; long-lived access keys synced into the pod as well are a standing secret to leak and usually take precedence over the identity.
# custom:
#   id: cloud-static-credentials
#   severity: error
#   category: secrets
#   remediation: Remove the static key variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, GOOGLE_APPLICATION_CREDENTIALS, AZURE_CLIENT_SECRET) and the ExternalSecret keys that sync them; grant the role to the workload identity instead.
#   remediation_blueprint: Remove the key from env and externalSecrets[].data in the blueprint; serviceAccount.annotations already gives the app its cloud identity.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout, ExternalSecret]
package gitopsgen.rules.cloud_static_credentials

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.inventory_of_kind
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.pod_spec

params := parameters("cloud-static-credentials")

default key_names := ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH"]

key_names := params.key_names

identity_annotations := ["eks.amazonaws.com/role-arn", "iam.gke.io/gcp-service-account", "azure.workload.identity/client-id"]

violation contains {"msg": msg, "field": array.concat(entry.path, ["env", i, "name"])} if {
	some entry in all_containers
	some i, variable in items_at(entry, ["container", "env"])
	is_string(variable.name)
	upper(variable.name) in key_names
	account := object.get(pod_spec, "serviceAccountName", "default")
	has_identity(account)
	msg := sprintf("container %q gets %v although ServiceAccount %v has a workload identity", [entry.label, variable.name, account])
}

violation contains {"msg": msg, "field": ["spec", "data", i, "secretKey"]} if {
	kind == "ExternalSecret"
	some i, item in items_at(obj, ["spec", "data"])
	is_string(item.secretKey)
	upper(item.secretKey) in key_names
	count(identity_accounts) > 0
	accounts := concat(", ", sort(identity_accounts))
	msg := sprintf("syncs the long-lived key %v into a namespace where ServiceAccounts with a workload identity run (%v)", [item.secretKey, accounts])
}

identity_accounts := {object.get(sa, ["metadata", "name"], "") |
	some sa in inventory_of_kind(namespace, "ServiceAccount")
	some key in identity_annotations
	sa.metadata.annotations[key]
}

has_identity(account) if account in identity_accounts
