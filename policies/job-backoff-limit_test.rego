package gitopsgen.rules.job_backoff_limit_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.job_backoff_limit

job(spec) := {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate", "namespace": "app"}, "spec": object.union({
	"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c"}]}},
}, spec)}
cronjob(spec) := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report", "namespace": "app"}, "spec": object.union({
	"schedule": "0 3 * * *",
	"jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "c"}]}}}},
}, spec)}

test_backoff_limit_passes if {
	count(job_backoff_limit.violation) == 0 with input as {"review": {"object": job({"backoffLimit": 2})}}
}

test_job_without_backoff_limit_fails if {
	count(job_backoff_limit.violation) == 1 with input as {"review": {"object": job({})}}
}

test_cronjob_without_backoff_limit_fails if {
	some v in job_backoff_limit.violation with input as {"review": {"object": cronjob({})}}
	v.field == ["spec", "jobTemplate", "spec"]
}

# A CronJob without a spec (or a Job without one) lacks the field too: the finding is reported,
# with a message and a path, the same way in every evaluation mode.
test_cronjob_without_a_spec_fails_with_a_message if {
	some v in job_backoff_limit.violation with input as {"review": {"object": {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report"}, "spec": {}}}}
	v.field == ["spec", "jobTemplate", "spec"]
	contains(v.msg, "backoffLimit is not set")
}

test_job_without_a_spec_fails_with_a_message if {
	some v in job_backoff_limit.violation with input as {"review": {"object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once"}}}}
	v.field == ["spec"]
}
