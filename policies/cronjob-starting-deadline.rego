# METADATA
# title: CronJobs set startingDeadlineSeconds
# description: Without startingDeadlineSeconds the controller counts every missed schedule since the last run; after 100 misses (a controller outage, a suspended CronJob) it stops scheduling the CronJob altogether.
# custom:
#   id: cronjob-starting-deadline
#   severity: warning
#   category: jobs
#   remediation: Set spec.startingDeadlineSeconds (e.g. 600) so a missed run starts late or is skipped, never counted forever.
#   remediation_blueprint: Set jobs[].startingDeadlineSeconds (e.g. 600) on the scheduled job in the blueprint.
#   kinds: [CronJob]
package gitopsgen.rules.cronjob_starting_deadline

import rego.v1

import data.gitopsgen.lib.obj

violation contains {"msg": "startingDeadlineSeconds is not set: after 100 missed schedules the CronJob stops running", "field": ["spec"]} if {
	not is_number(object.get(obj, ["spec", "startingDeadlineSeconds"], null))
}
