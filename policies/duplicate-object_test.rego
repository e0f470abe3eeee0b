package gitopsgen.rules.duplicate_object_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.duplicate_object

configmap := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "app"}}

test_unique_object_passes if {
	count(duplicate_object.violation) == 0 with input as {"review": {"object": configmap}} with data.duplicates as {}
}

test_duplicate_object_fails if {
	some v in duplicate_object.violation with input as {"review": {"object": configmap}}
		with data.duplicates as {"/ConfigMap/app/settings": ["a.yaml", "b.yaml"]}
	v.msg == "this object is emitted 2 times (a.yaml, b.yaml)"
}

test_cluster_scoped_duplicate_fails if {
	ns := {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "app"}}
	count(duplicate_object.violation) == 1 with input as {"review": {"object": ns}}
		with data.duplicates as {"/Namespace//app": ["a.yaml", "b.yaml"]}
}
