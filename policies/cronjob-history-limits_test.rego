package gitopsgen.rules.cronjob_history_limits_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.cronjob_history_limits

cronjob(spec) := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report", "namespace": "app"}, "spec": object.union({
	"schedule": "0 3 * * *",
	"jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "c"}]}}}},
}, spec)}

test_default_limits_pass if {
	count(cronjob_history_limits.violation) == 0 with input as {"review": {"object": cronjob({"successfulJobsHistoryLimit": 3})}}
}

test_huge_history_fails if {
	count(cronjob_history_limits.violation) == 1 with input as {"review": {"object": cronjob({"successfulJobsHistoryLimit": 100})}}
}

test_no_failed_history_fails if {
	count(cronjob_history_limits.violation) == 1 with input as {"review": {"object": cronjob({"failedJobsHistoryLimit": 0})}}
}
