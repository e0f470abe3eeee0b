# METADATA
# title: Images are pinned to a version tag or digest
# description: Every container image names an explicit tag other than latest, or a sha256 digest; a missing tag means latest.
# custom:
#   id: image-tag-pinned
#   severity: error
#   category: images
#   remediation: "Use a release tag (e.g. v2.0.0) or a digest instead of latest or a branch tag."
#   remediation_blueprint: "Set image.tag to a release version (e.g. v2.0.0) or image.digest in the blueprint or the environment overlay."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.image_tag_pinned

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.has_digest
import data.gitopsgen.lib.image_tag
import data.gitopsgen.lib.parameters

params := parameters("image-tag-pinned")

default floating_tags := ["latest", "main", "master", "stable", "dev"]

floating_tags := params.floating_tags

violation contains {"msg": msg, "field": array.concat(entry.path, ["image"])} if {
	some entry in all_containers
	image := object.get(entry.container, "image", "")
	not has_digest(image)
	image_tag(image) == ""
	msg := sprintf("container %q image %q has no tag (it means latest)", [entry.label, image])
}

violation contains {"msg": msg, "field": array.concat(entry.path, ["image"])} if {
	some entry in all_containers
	image := object.get(entry.container, "image", "")
	not has_digest(image)
	lower(image_tag(image)) in floating_tags
	msg := sprintf("container %q image %q uses the floating tag %q", [entry.label, image, image_tag(image)])
}
