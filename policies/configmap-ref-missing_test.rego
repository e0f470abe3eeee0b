package gitopsgen.rules.configmap_ref_missing_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.configmap_ref_missing

deployment(spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"selector": {"matchLabels": {"app": "api"}},
	"template": {"metadata": {"labels": {"app": "api"}}, "spec": spec},
}}

with_inventory(o, others) := {"review": {"object": o}}

configmap := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "app"}, "data": {"a": "b"}}

spec(optional) := {"containers": [{"name": "api", "envFrom": [{"configMapRef": {"name": "settings", "optional": optional}}]}]}

test_existing_configmap_passes if {
	d := deployment(spec(false))
	count(configmap_ref_missing.violation) == 0 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d, configmap])
}

test_optional_reference_passes if {
	d := deployment(spec(true))
	count(configmap_ref_missing.violation) == 0 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d])
}

test_missing_configmap_fails if {
	d := deployment(spec(false))
	some v in configmap_ref_missing.violation with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d])
	v.field == ["spec", "template", "spec", "containers", 0, "envFrom", 0, "configMapRef", "name"]
}

test_missing_volume_configmap_fails if {
	d := deployment({"containers": [{"name": "api"}], "volumes": [{"name": "conf", "configMap": {"name": "nginx-conf"}}]})
	count(configmap_ref_missing.violation) == 1 with input as {"review": {"object": d}} with data.inventory as lib.inventory_of([d])
}
