# METADATA
# title: Production images are pinned by digest
# description: In production environments every container image carries a sha256 digest, so what runs is exactly what was scanned and approved; tags can be moved.
# custom:
#   id: image-digest-prod
#   severity: error
#   remediation: Set image.digest (sha256:...) for the app in overlays/prod.yaml, e.g. with gitopsgen set-image.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob]
package gitopsgen.rules.image_digest_prod

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.has_digest
import data.gitopsgen.lib.is_prod

violation contains {"msg": msg, "field": array.concat(entry.path, ["image"])} if {
	is_prod
	some entry in all_containers
	not has_digest(entry.container.image)
	msg := sprintf("container %q image %q has no sha256 digest (required in %s)", [entry.container.name, entry.container.image, input.env])
}
