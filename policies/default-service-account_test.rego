package gitopsgen.rules.default_service_account_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.default_service_account

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

test_named_account_passes if {
	count(default_service_account.violation) == 0 with input as {"review": {"object": pod({"serviceAccountName": "api", "containers": [{"name": "c"}]})}}
}

test_no_account_fails if {
	count(default_service_account.violation) == 1 with input as {"review": {"object": pod({"containers": [{"name": "c"}]})}}
}
