package gitopsgen.rules.cronjob_concurrency_policy_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.cronjob_concurrency_policy

cronjob(spec) := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report", "namespace": "app"}, "spec": object.union({
	"schedule": "0 3 * * *",
	"jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "c"}]}}}},
}, spec)}

test_forbid_passes if {
	count(cronjob_concurrency_policy.violation) == 0 with input as {"review": {"object": cronjob({"concurrencyPolicy": "Forbid"})}}
}

test_default_allow_fails if {
	count(cronjob_concurrency_policy.violation) == 1 with input as {"review": {"object": cronjob({})}}
}
