package gitopsgen.rules.api_removed_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.api_removed

review(api_version, kind, version) := {"review": {"object": {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}}}, "parameters": {"kubernetes_version": version}}

test_current_api_passes if {
	count(api_removed.violation) == 0 with input as review("batch/v1", "CronJob", "1.33")
}

test_api_not_yet_removed_passes if {
	count(api_removed.violation) == 0 with input as review("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.25")
}

test_removed_api_fails if {
	some v in api_removed.violation with input as review("policy/v1beta1", "PodDisruptionBudget", "v1.29.2")
	v.msg == "policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25: use policy/v1"
}

test_removed_crd_version_fails_whatever_the_kubernetes_version if {
	count(api_removed.violation) == 1 with input as review("cert-manager.io/v1alpha2", "Certificate", "1.20")
}
