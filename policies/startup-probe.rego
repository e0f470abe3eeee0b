# METADATA
# title: Slow-starting containers have a startup probe
# description: A model server loading weights takes minutes before it answers; a liveness probe that starts checking too early restarts it in a loop (CrashLoopBackOff), and a long initialDelaySeconds delays restarts of a hung server for just as long. A startupProbe holds the liveness probe off until the first success.
# custom:
#   id: startup-probe
#   severity: warning
#   category: ai-workloads
#   remediation: Add a startupProbe (e.g. the liveness check with failureThreshold x periodSeconds covering the worst load time) and keep the liveness probe's initialDelaySeconds short.
#   remediation_blueprint: Add probes.startup to the blueprint (the liveness check with a failureThreshold that covers the model load time).
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.startup_probe

import rego.v1

import data.gitopsgen.lib.accelerator_resources
import data.gitopsgen.lib.accelerators
import data.gitopsgen.lib.app_containers
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.uses_accelerators

params := parameters("startup-probe")

default slow_start_seconds := 60

slow_start_seconds := params.slow_start_seconds

violation contains {"msg": msg, "field": array.concat(entry.path, ["startupProbe"])} if {
	some entry in app_containers
	entry.container.livenessProbe
	not entry.container.startupProbe
	why := slow(entry.container)
	msg := sprintf("container %q has a liveness probe but no startup probe (%s)", [entry.label, why])
}

slow(container) := "it uses an accelerator and may load a model for minutes" if accelerated(container)

slow(container) := sprintf("its liveness probe waits %vs before the first check", [delay]) if {
	delay := object.get(container, ["livenessProbe", "initialDelaySeconds"], 0)
	delay >= slow_start_seconds
	not accelerated(container)
}

resources := accelerator_resources(params)

used if uses_accelerators(resources)

accelerated(container) if {
	used
	count(accelerators(container, resources)) > 0
}
