package gitopsgen.rules.externalsecret_store_missing_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.externalsecret_store_missing

external_secret(ref) := {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "db", "namespace": "app"}, "spec": {"secretStoreRef": ref}}

store := {"apiVersion": "external-secrets.io/v1", "kind": "SecretStore", "metadata": {"name": "vault", "namespace": "app"}}

test_existing_store_passes if {
	e := external_secret({"name": "vault"})
	count(externalsecret_store_missing.violation) == 0 with input as {"review": {"object": e}} with data.inventory as lib.inventory_of([e, store])
}

test_platform_cluster_store_passes if {
	e := external_secret({"name": "aws", "kind": "ClusterSecretStore"})
	count(externalsecret_store_missing.violation) == 0 with input as {"review": {"object": e}} with data.inventory as lib.inventory_of([e])
}

test_missing_store_fails if {
	e := external_secret({"name": "vault-prod", "kind": "SecretStore"})
	count(externalsecret_store_missing.violation) == 1 with input as {"review": {"object": e}} with data.inventory as lib.inventory_of([e, store])
}
