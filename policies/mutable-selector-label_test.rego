package gitopsgen.rules.mutable_selector_label_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.mutable_selector_label

deployment(selector, labels, spec) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "app"}, "spec": {
	"selector": {"matchLabels": selector},
	"template": {"metadata": {"labels": labels}, "spec": spec},
}}

test_stable_selector_passes if {
	count(mutable_selector_label.violation) == 0 with input as {"review": {"object": deployment({"app": "api"}, {"app": "api", "version": "v2"}, {})}}
}

test_version_in_selector_fails if {
	some v in mutable_selector_label.violation with input as {"review": {"object": deployment({"app": "api", "version": "v2"}, {"app": "api", "version": "v2"}, {})}}
	v.field == ["spec", "selector", "matchLabels", "version"]
}
