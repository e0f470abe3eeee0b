# METADATA
# title: Jobs set backoffLimit
# description: A Job without backoffLimit retries a failing pod six times with growing delays, so a broken migration or batch run keeps going for minutes before anyone is told; decide how many retries the work deserves.
# custom:
#   id: job-backoff-limit
#   severity: warning
#   category: jobs
#   remediation: Set spec.backoffLimit (for a CronJob, spec.jobTemplate.spec.backoffLimit), e.g. 2.
#   remediation_blueprint: Set jobs[].backoffLimit (e.g. 2) in the blueprint.
#   kinds: [Job, CronJob]
package gitopsgen.rules.job_backoff_limit

import rego.v1

import data.gitopsgen.lib.job_spec

violation contains {"msg": "backoffLimit is not set: a failing pod is retried 6 times", "field": job_spec.path} if {
	not is_number(setting)
}

# (Undefined when the Job spec is not an object: a malformed object, reported as a Job without the setting.)
setting := object.get(job_spec.spec, "backoffLimit", null) if is_object(job_spec.spec)
