# METADATA
# title: Images are pinned to a version tag or digest
# description: Every container image names an explicit tag other than latest, or a sha256 digest; a missing tag means latest.
# custom:
#   id: image-tag-pinned
#   severity: error
#   remediation: Set image.tag to a release version (e.g. v2.0.0) or image.digest in the blueprint or the environment overlay.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob]
package gitopsgen.rules.image_tag_pinned

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.has_digest
import data.gitopsgen.lib.image_tag
import data.gitopsgen.lib.params

default floating_tags := ["latest", "main", "master", "stable", "dev"]

floating_tags := params.floating_tags

violation contains {"msg": msg, "field": array.concat(entry.path, ["image"])} if {
	some entry in all_containers
	not has_digest(entry.container.image)
	image_tag(entry.container.image) == ""
	msg := sprintf("container %q image %q has no tag (it means latest)", [entry.container.name, entry.container.image])
}

violation contains {"msg": msg, "field": array.concat(entry.path, ["image"])} if {
	some entry in all_containers
	not has_digest(entry.container.image)
	lower(image_tag(entry.container.image)) in floating_tags
	msg := sprintf("container %q image %q uses the floating tag %q", [entry.container.name, entry.container.image, image_tag(entry.container.image)])
}
