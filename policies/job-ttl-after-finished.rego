# METADATA
# title: Standalone Jobs are cleaned up after they finish
# description: A Job that is not owned by a CronJob stays in the cluster with its pods after it finishes unless ttlSecondsAfterFinished is set; with Argo CD, a finished Job also blocks re-running it (its template is immutable).
# custom:
#   id: job-ttl-after-finished
#   severity: warning
#   category: jobs
#   remediation: Set spec.ttlSecondsAfterFinished (e.g. 3600), or run the Job as an Argo CD hook with a delete policy.
#   remediation_blueprint: Set jobs[].ttlSecondsAfterFinished (e.g. 3600) in the blueprint, or make the job an Argo CD hook (jobs[].hook) with a delete policy.
#   kinds: [Job]
package gitopsgen.rules.job_ttl_after_finished

import rego.v1

import data.gitopsgen.lib.annotations
import data.gitopsgen.lib.obj

violation contains {"msg": "ttlSecondsAfterFinished is not set: the finished Job and its pods stay", "field": ["spec"]} if {
	not is_number(object.get(obj, ["spec", "ttlSecondsAfterFinished"], null))
	not annotations["argocd.argoproj.io/hook-delete-policy"]
}
