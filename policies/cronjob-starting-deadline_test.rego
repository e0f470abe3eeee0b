package gitopsgen.rules.cronjob_starting_deadline_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.cronjob_starting_deadline

cronjob(spec) := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report", "namespace": "app"}, "spec": object.union({
	"schedule": "0 3 * * *",
	"jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "c"}]}}}},
}, spec)}

test_deadline_passes if {
	count(cronjob_starting_deadline.violation) == 0 with input as {"review": {"object": cronjob({"startingDeadlineSeconds": 300})}}
}

test_no_deadline_fails if {
	count(cronjob_starting_deadline.violation) == 1 with input as {"review": {"object": cronjob({})}}
}
