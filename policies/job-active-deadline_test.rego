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
