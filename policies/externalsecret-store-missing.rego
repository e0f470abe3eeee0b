# METADATA
# title: ExternalSecrets use a store that exists
# description: An ExternalSecret whose secretStoreRef names a SecretStore that nothing in its namespace creates never syncs, and the Secret it should create never appears. A ClusterSecretStore is checked only when the set defines cluster stores at all (otherwise the platform provides them).
# custom:
#   id: externalsecret-store-missing
#   severity: error
#   category: references
#   remediation: Point spec.secretStoreRef at an existing SecretStore (kind SecretStore, same namespace) or ClusterSecretStore.
#   remediation_blueprint: Point externalSecrets[].store.name at one of the blueprint's secretStores, or set store.kind ClusterSecretStore for a platform store.
#   kinds: [ExternalSecret]
package gitopsgen.rules.externalsecret_store_missing

import rego.v1

import data.gitopsgen.lib.cluster_inventory_has
import data.gitopsgen.lib.cluster_inventory_of_kind
import data.gitopsgen.lib.names_in
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["spec", "secretStoreRef", "name"]} if {
	ref := obj.spec.secretStoreRef
	is_object(ref)
	object.get(ref, "kind", "SecretStore") == "SecretStore"
	store := object.get(ref, "name", "")
	not store in names_in(namespace, "SecretStore")
	msg := sprintf("SecretStore %v does not exist in namespace %s", [store, namespace])
}

violation contains {"msg": msg, "field": ["spec", "secretStoreRef", "name"]} if {
	ref := obj.spec.secretStoreRef
	is_object(ref)
	ref.kind == "ClusterSecretStore"
	count(cluster_inventory_of_kind("ClusterSecretStore")) > 0
	not cluster_inventory_has("ClusterSecretStore", object.get(ref, "name", ""))
	msg := sprintf("ClusterSecretStore %v is not among the cluster stores the set defines", [object.get(ref, "name", "")])
}
