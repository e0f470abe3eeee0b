package gitopsgen.rules.job_ttl_after_finished_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.job_ttl_after_finished

job(spec) := {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate", "namespace": "app"}, "spec": object.union({
	"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c"}]}},
}, spec)}

test_ttl_passes if {
	count(job_ttl_after_finished.violation) == 0 with input as {"review": {"object": job({"ttlSecondsAfterFinished": 3600})}}
}

test_argocd_hook_with_delete_policy_passes if {
	j := object.union(job({}), {"metadata": {"annotations": {"argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/hook-delete-policy": "HookSucceeded"}}})
	count(job_ttl_after_finished.violation) == 0 with input as {"review": {"object": j}}
}

test_no_ttl_fails if {
	count(job_ttl_after_finished.violation) == 1 with input as {"review": {"object": job({})}}
}
