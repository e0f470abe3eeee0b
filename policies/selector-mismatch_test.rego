package gitopsgen.rules.selector_mismatch_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.selector_mismatch

deployment(selector, labels, spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"selector": {"matchLabels": selector},
	"template": {"metadata": {"labels": labels}, "spec": spec},
}}

test_matching_selector_passes if {
	count(selector_mismatch.violation) == 0 with input as {"review": {"object": deployment({"app": "api"}, {"app": "api", "tier": "web"}, {})}}
}

test_mismatching_selector_fails if {
	count(selector_mismatch.violation) == 1 with input as {"review": {"object": deployment({"app": "api"}, {"app": "web"}, {})}}
}
