# METADATA
# title: Referenced ConfigMaps exist
# description: "A container env, envFrom or volume that refers to a ConfigMap nothing in the set creates keeps the pod in CreateContainerConfigError (or ContainerCreating) until someone creates it by hand. References marked optional: true are exempt."
# custom:
#   id: configmap-ref-missing
#   severity: error
#   category: references
#   remediation: "Add the ConfigMap to the manifests (or a configMapGenerator), fix the name, or mark the reference optional: true."
#   remediation_blueprint: Add the ConfigMap under configMaps in the blueprint, or fix the name in env[].configMapKeyRef / envFrom / volumes[].configMap.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.configmap_ref_missing

import rego.v1

import data.gitopsgen.lib.configmaps_created
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.object_refs

violation contains {"msg": msg, "field": ref.path} if {
	some ref in object_refs
	ref.kind == "ConfigMap"
	not ref.optional
	not ref.name in configmaps_created(namespace)
	msg := sprintf("ConfigMap %v does not exist in namespace %s (nothing in the set creates it)", [ref.name, namespace])
}
