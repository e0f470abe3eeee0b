# METADATA
# title: Production HorizontalPodAutoscalers keep at least two replicas
# description: In production an HPA's minReplicas is at least min_replicas (default 2), so one pod restart or node loss never takes the service down.
# custom:
#   id: hpa-min-replicas-prod
#   severity: error
#   remediation: Set autoscaling.minReplicas to 2 or more for the app in overlays/prod.yaml.
#   kinds: [HorizontalPodAutoscaler]
package gitopsgen.rules.hpa_min_replicas_prod

import rego.v1

import data.gitopsgen.lib

default min_replicas := 2

min_replicas := lib.params.min_replicas

violation contains {"msg": msg, "field": ["spec", "minReplicas"]} if {
	lib.is_prod
	lib.kind == "HorizontalPodAutoscaler"
	minimum := object.get(lib.obj, ["spec", "minReplicas"], 1)
	minimum < min_replicas
	msg := sprintf("minReplicas %d is below %d, the minimum in %s", [minimum, min_replicas, input.env])
}
