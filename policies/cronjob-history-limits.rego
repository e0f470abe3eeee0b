# METADATA
# title: CronJobs keep a bounded history and the last failure
# description: A large successfulJobsHistoryLimit keeps finished Jobs and their pods around (they count against quotas and slow the API); failedJobsHistoryLimit 0 deletes a failed Job before anyone can read its logs.
# custom:
#   id: cronjob-history-limits
#   severity: warning
#   category: jobs
#   remediation: Keep successfulJobsHistoryLimit and failedJobsHistoryLimit at most 10 (defaults 3 and 1), and failedJobsHistoryLimit at least 1.
#   remediation_blueprint: Keep jobs[].successfulJobsHistoryLimit and jobs[].failedJobsHistoryLimit between 1 and 10 on the scheduled job in the blueprint.
#   kinds: [CronJob]
package gitopsgen.rules.cronjob_history_limits

import rego.v1

import data.gitopsgen.lib.obj
import data.gitopsgen.lib.parameters

params := parameters("cronjob-history-limits")

default max_history := 10

max_history := params.max_history

violation contains {"msg": msg, "field": ["spec", field]} if {
	some field in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"]
	limit := obj.spec[field]
	limit > max_history
	msg := sprintf("%s %v keeps more than %v finished Jobs", [field, limit, max_history])
}

violation contains {"msg": "failedJobsHistoryLimit 0 deletes failed Jobs before their logs can be read", "field": ["spec", "failedJobsHistoryLimit"]} if {
	obj.spec.failedJobsHistoryLimit == 0
}
