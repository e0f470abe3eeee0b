package gitopsgen.rules.secret_in_git_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.secret_in_git

secret(body) := object.union({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "app"}, "type": "Opaque"}, body)

test_empty_secret_passes if {
	count(secret_in_git.violation) == 0 with input as {"review": {"object": secret({})}}
}

test_secret_with_data_fails if {
	some v in secret_in_git.violation with input as {"review": {"object": secret({"data": {"password": "aHVudGVyMg=="}})}}
	v.field == ["data"]
}
