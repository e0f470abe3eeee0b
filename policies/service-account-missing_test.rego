package gitopsgen.rules.service_account_missing_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.service_account_missing

deployment(spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"selector": {"matchLabels": {"app": "api"}},
	"template": {"metadata": {"labels": {"app": "api"}}, "spec": spec},
}}

with_inventory(o, others) := {"review": {"object": o}}

account := {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "api", "namespace": "app"}}

test_existing_account_passes if {
	d := deployment({"serviceAccountName": "api", "containers": [{"name": "api"}]})
	count(service_account_missing.violation) == 0 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d, account])
}

test_missing_account_fails if {
	d := deployment({"serviceAccountName": "api", "containers": [{"name": "api"}]})
	count(service_account_missing.violation) == 1 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d])
}
