package gitopsgen.rules.secret_ref_missing_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.secret_ref_missing

deployment(spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"selector": {"matchLabels": {"app": "api"}},
	"template": {"metadata": {"labels": {"app": "api"}}, "spec": spec},
}}

with_inventory(o, others) := {"review": {"object": o}}

external_secret := {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "db-sync", "namespace": "app"}, "spec": {"target": {"name": "db"}}}

spec := {"containers": [{"name": "api", "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]}]}

test_external_secret_target_passes if {
	d := deployment(spec)
	count(secret_ref_missing.violation) == 0 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d, external_secret])
}

test_missing_secret_fails if {
	d := deployment(spec)
	some v in secret_ref_missing.violation with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d])
	v.field == ["spec", "template", "spec", "containers", 0, "env", 0, "valueFrom", "secretKeyRef", "name"]
}
