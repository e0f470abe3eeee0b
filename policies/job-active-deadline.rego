# METADATA
# title: Jobs set activeDeadlineSeconds
# description: A Job without activeDeadlineSeconds that hangs (a lock, a stuck download) runs forever, holding its resources and, for a CronJob with concurrencyPolicy Forbid, blocking every later run.
# custom:
#   id: job-active-deadline
#   severity: warning
#   category: jobs
#   remediation: Set spec.activeDeadlineSeconds (for a CronJob, spec.jobTemplate.spec.activeDeadlineSeconds) to a generous upper bound of the run time.
#   remediation_blueprint: Set jobs[].activeDeadlineSeconds in the blueprint to a generous upper bound of the run time.
#   kinds: [Job, CronJob]
package gitopsgen.rules.job_active_deadline

import rego.v1

import data.gitopsgen.lib.job_spec

violation contains {"msg": "activeDeadlineSeconds is not set: a hung run is never stopped", "field": job_spec.path} if {
	not is_number(setting)
}

# (Undefined when the Job spec is not an object: a malformed object, reported as a Job without the setting.)
setting := object.get(job_spec.spec, "activeDeadlineSeconds", null) if is_object(job_spec.spec)
