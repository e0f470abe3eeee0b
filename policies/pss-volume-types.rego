# METADATA
# title: Pods use only the restricted volume types
# description: The restricted Pod Security Standard allows only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes; other types (hostPath, nfs, iscsi, cephfs...) reach storage outside the pod's control.
# custom:
#   id: pss-volume-types
#   severity: error
#   category: pod-security
#   pss: {profile: restricted, control: "Volume Types"}
#   remediation: Replace the volume with a persistentVolumeClaim (or configMap, secret, emptyDir, projected, csi, ephemeral).
#   remediation_blueprint: Use the blueprint's volumes (emptyDir, configMap, secret); storage beyond that goes through a PersistentVolumeClaim.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.pss_volume_types

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.pod_volumes

params := parameters("pss-volume-types")

default allowed := ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]

allowed := params.allowed

violation contains {"msg": msg, "field": array.concat(entry.path, [source])} if {
	some entry in pod_volumes
	some source, _ in items_at(entry, ["volume"])
	source != "name"
	not source in allowed
	msg := sprintf("volume %q is of type %s (PSS restricted: Volume Types)", [entry.label, source])
}
