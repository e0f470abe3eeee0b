# METADATA
# title: A container sets each environment variable once
# description: When a container lists the same env name twice, the last entry wins silently; a patch or overlay that meant to change a value may change nothing (and kubectl apply reports a conflict on the merge key).
# custom:
#   id: duplicate-env-name
#   severity: error
#   category: correctness
#   remediation: Remove all but one entry of the variable from the container's env.
#   remediation_blueprint: "Set the variable once: in the blueprint's env or in the environment overlay, not both under different spellings of the same entry."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.duplicate_env_name

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.items_at

violation contains {"msg": msg, "field": array.concat(entry.path, ["env", j, "name"])} if {
	some entry in all_containers
	names := [v.name | some v in items_at(entry.container, "env")]
	count({n | some n in names}) < count(names) # linear test first: most containers repeat nothing
	some j, variable in items_at(entry, ["container", "env"])
	some i, earlier in items_at(entry, ["container", "env"])
	i < j
	earlier.name == variable.name
	msg := sprintf("container %q sets %v again (first at env[%d])", [entry.label, variable.name, i])
}
