# METADATA
# title: CronJobs decide what happens when runs overlap
# description: "With the default concurrencyPolicy Allow, a run that takes longer than the schedule interval overlaps the next one: two jobs write the same data, and slow runs pile up."
# custom:
#   id: cronjob-concurrency-policy
#   severity: warning
#   category: jobs
#   remediation: Set spec.concurrencyPolicy to Forbid (skip a run while one is active) or Replace.
#   remediation_blueprint: Set jobs[].concurrencyPolicy (Forbid or Replace) on the scheduled job in the blueprint.
#   kinds: [CronJob]
package gitopsgen.rules.cronjob_concurrency_policy

import rego.v1

import data.gitopsgen.lib.obj

violation contains {"msg": "concurrencyPolicy is Allow (the default): overlapping runs are started side by side", "field": ["spec", "concurrencyPolicy"]} if {
	object.get(obj, ["spec", "concurrencyPolicy"], "Allow") == "Allow"
}
