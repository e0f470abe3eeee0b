package gitopsgen.rules.service_account_token_automount_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.service_account_token_automount

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "app"}, "spec": spec}

account(automount) := {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "api", "namespace": "app"}, "automountServiceAccountToken": automount}

test_pod_opting_out_passes if {
	count(service_account_token_automount.violation) == 0 with input as {"review": {"object": pod({"automountServiceAccountToken": false, "containers": [{"name": "c"}]})}}
}

test_account_opting_out_passes if {
	p := pod({"serviceAccountName": "api", "containers": [{"name": "c"}]})
	count(service_account_token_automount.violation) == 0 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([p, account(false)])
}

test_implicit_automount_fails if {
	p := pod({"serviceAccountName": "api", "containers": [{"name": "c"}]})
	count(service_account_token_automount.violation) == 1 with input as {"review": {"object": p}}
		with data.inventory as lib.inventory_of([p, account(true)])
}
