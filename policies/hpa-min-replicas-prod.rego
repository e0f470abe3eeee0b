# METADATA
# title: Production HorizontalPodAutoscalers keep at least two replicas
# description: In production an HPA's minReplicas is at least min_replicas (default 2), so one pod restart or node loss never takes the service down.
# custom:
#   id: hpa-min-replicas-prod
#   severity: error
#   category: reliability
#   remediation: "Set spec.minReplicas to at least 2 in production HorizontalPodAutoscalers."
#   remediation_blueprint: "Set autoscaling.minReplicas to at least 2 in the blueprint (or the production overlay's defaults)."
#   kinds: [HorizontalPodAutoscaler]
package gitopsgen.rules.hpa_min_replicas_prod

import rego.v1

import data.gitopsgen.lib.is_prod
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.parameters

params := parameters("hpa-min-replicas-prod")

default min_replicas := 2

min_replicas := params.min_replicas

violation contains {"msg": msg, "field": ["spec", "minReplicas"]} if {
	is_prod
	kind == "HorizontalPodAutoscaler"
	minimum := object.get(obj, ["spec", "minReplicas"], 1)
	minimum < min_replicas
	msg := sprintf("minReplicas %v is below %v, the minimum in %s", [minimum, min_replicas, input.env])
}
