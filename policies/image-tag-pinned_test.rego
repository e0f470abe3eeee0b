package gitopsgen.rules.image_tag_pinned_test

import rego.v1

import data.gitopsgen.rules.image_tag_pinned

pod(image) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": image}]}}

test_version_tag_passes if {
	count(image_tag_pinned.violation) == 0 with input as {"review": {"object": pod("registry.local:5000/ihcl/virtualagent-platform:v2.0.0")}}
}

test_digest_without_tag_passes if {
	image := concat("", ["ai-prism/api@sha256:", concat("", [x | some _ in numbers.range(1, 64); x := "a"])])
	count(image_tag_pinned.violation) == 0 with input as {"review": {"object": pod(image)}}
}

test_latest_fails if {
	count(image_tag_pinned.violation) == 1 with input as {"review": {"object": pod("ai-prism/api:latest")}}
}

test_missing_tag_behind_registry_port_fails if {
	count(image_tag_pinned.violation) == 1 with input as {"review": {"object": pod("registry.local:5000/ai-prism/api")}}
}
