# METADATA
# title: spec.replicas is not set on a workload an HPA scales
# description: When a HorizontalPodAutoscaler (or a KEDA ScaledObject, through the HPA KEDA creates) scales a workload that also sets spec.replicas, every Argo CD sync (and every kubectl apply) resets the replica count to the manifest's value, fighting the autoscaler and dropping capacity under load.
# custom:
#   id: replicas-with-hpa
#   severity: error
#   category: correctness
#   remediation: Remove spec.replicas from the workload (the HPA's minReplicas or the ScaledObject's minReplicaCount sets the floor), or ignore the field in the Argo CD Application (ignoreDifferences on /spec/replicas).
#   remediation_blueprint: "Remove replicas from the blueprint (and from the environment's defaults) when autoscaling is on: gitopsgen then leaves spec.replicas out."
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, Rollout]
package gitopsgen.rules.replicas_with_hpa

import rego.v1

import data.gitopsgen.lib.autoscalers_of
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["spec", "replicas"]} if {
	replicas := obj.spec.replicas
	some autoscaler in autoscalers_of(obj)
	msg := sprintf("spec.replicas %v is set while %v %v scales this workload", [replicas, autoscaler.kind, autoscaler.name])
}
