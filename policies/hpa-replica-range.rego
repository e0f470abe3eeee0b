# METADATA
# title: HorizontalPodAutoscaler minReplicas does not exceed maxReplicas
# description: An HPA whose minReplicas (default 1) is greater than maxReplicas is rejected by the API server's intent and never scales as written.
# custom:
#   id: hpa-replica-range
#   severity: error
#   category: reliability
#   remediation: "Make spec.minReplicas less than or equal to spec.maxReplicas."
#   remediation_blueprint: "Make autoscaling.minReplicas less than or equal to autoscaling.maxReplicas in the blueprint."
#   kinds: [HorizontalPodAutoscaler]
package gitopsgen.rules.hpa_replica_range

import rego.v1

import data.gitopsgen.lib.kind
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["spec", "minReplicas"]} if {
	kind == "HorizontalPodAutoscaler"
	minimum := object.get(obj, ["spec", "minReplicas"], 1)
	maximum := obj.spec.maxReplicas
	minimum > maximum
	msg := sprintf("minReplicas %v is greater than maxReplicas %v", [minimum, maximum])
}
