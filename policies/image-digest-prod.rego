# METADATA
# title: Production images are pinned by digest
# description: In production environments every container image carries a sha256 digest, so what runs is exactly what was scanned and approved; tags can be moved.
# custom:
#   id: image-digest-prod
#   severity: error
#   category: images
#   remediation: "Reference the image by digest in production (image: repo:tag@sha256:...)."
#   remediation_blueprint: "Set image.digest in the blueprint or the production overlay (gitopsgen set-image --digest)."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.image_digest_prod

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.has_digest
import data.gitopsgen.lib.is_prod

violation contains {"msg": msg, "field": array.concat(entry.path, ["image"])} if {
	is_prod
	some entry in all_containers
	image := object.get(entry.container, "image", "")
	is_string(image)
	not has_digest(image)
	msg := sprintf("container %q image %q has no sha256 digest (required in %s)", [entry.label, image, input.env])
}
