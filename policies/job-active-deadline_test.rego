package gitopsgen.rules.job_active_deadline_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.job_active_deadline

job(spec) := {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate", "namespace": "app"}, "spec": object.union({
	"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c"}]}},
}, spec)}

test_deadline_passes if {
	count(job_active_deadline.violation) == 0 with input as {"review": {"object": job({"activeDeadlineSeconds": 600})}}
}

test_no_deadline_fails if {
	count(job_active_deadline.violation) == 1 with input as {"review": {"object": job({})}}
}

# A CronJob without a spec (or a Job without one) lacks the field too: the finding is reported,
# with a message and a path, the same way in every evaluation mode.
test_cronjob_without_a_spec_fails_with_a_message if {
	some v in job_active_deadline.violation with input as {"review": {"object": {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report"}, "spec": {}}}}
	v.field == ["spec", "jobTemplate", "spec"]
	contains(v.msg, "activeDeadlineSeconds is not set")
}

test_job_without_a_spec_fails_with_a_message if {
	some v in job_active_deadline.violation with input as {"review": {"object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once"}}}}
	v.field == ["spec"]
}
