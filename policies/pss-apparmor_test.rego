package gitopsgen.rules.pss_apparmor_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pss_apparmor

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

review(o) := {"review": {"object": o}}

test_runtime_default_passes if {
	p := object.union(pod({"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "c"}]}), {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/c": "localhost/k8s-nginx"}}})
	count(pss_apparmor.violation) == 0 with input as review(p)
}

test_unconfined_field_fails if {
	count(pss_apparmor.violation) == 1 with input as review(pod({"containers": [{"name": "c", "securityContext": {"appArmorProfile": {"type": "Unconfined"}}}]}))
}

test_unconfined_annotation_fails if {
	p := object.union(pod({"containers": [{"name": "c"}]}), {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/c": "unconfined"}}})
	some v in pss_apparmor.violation with input as review(p)
	v.field == ["metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/c"]
}
