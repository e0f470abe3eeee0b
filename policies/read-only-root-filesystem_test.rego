package gitopsgen.rules.read_only_root_filesystem_test

import rego.v1

import data.gitopsgen.rules.read_only_root_filesystem

pod(security) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "securityContext": security}]}}

test_read_only_passes if {
	count(read_only_root_filesystem.violation) == 0 with input as {"review": {"object": pod({"readOnlyRootFilesystem": true})}}
}

test_missing_setting_fails if {
	count(read_only_root_filesystem.violation) == 1 with input as {"review": {"object": pod({})}}
}

test_explicit_false_fails if {
	count(read_only_root_filesystem.violation) == 1 with input as {"review": {"object": pod({"readOnlyRootFilesystem": false})}}
}
