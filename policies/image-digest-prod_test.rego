package gitopsgen.rules.image_digest_prod_test

import rego.v1

import data.gitopsgen.rules.image_digest_prod

pod(image) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": image}]}}

digest := concat("", ["sha256:", concat("", [x | some _ in numbers.range(1, 64); x := "0"])])

test_digest_in_prod_passes if {
	count(image_digest_prod.violation) == 0 with input as {"env": "prod", "review": {"object": pod(concat("@", ["api:v1", digest]))}}
}

test_tag_outside_prod_passes if {
	count(image_digest_prod.violation) == 0 with input as {"env": "dev", "review": {"object": pod("api:v1")}}
}

test_tag_in_prod_fails if {
	count(image_digest_prod.violation) == 1 with input as {"env": "prod", "review": {"object": pod("api:v1")}}
}
