package gitopsgen.rules.api_deprecated_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.api_deprecated

review(api_version, kind, version) := {"review": {"object": {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}}}, "parameters": {"kubernetes_version": version}}

test_current_api_passes if {
	count(api_deprecated.violation) == 0 with input as review("external-secrets.io/v1", "ExternalSecret", "1.33")
}

test_removed_api_is_left_to_api_removed_passes if {
	count(api_deprecated.violation) == 0 with input as review("batch/v1beta1", "CronJob", "1.30")
}

test_deprecated_api_fails if {
	count(api_deprecated.violation) == 1 with input as review("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.24")
}

test_external_secrets_v1beta1_fails if {
	some v in api_deprecated.violation with input as review("external-secrets.io/v1beta1", "ExternalSecret", "1.33")
	contains(v.msg, "external-secrets.io/v1")
}
