package gitopsgen.rules.pss_volume_types_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pss_volume_types

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

review(o) := {"review": {"object": o}}

test_allowed_volumes_pass if {
	count(pss_volume_types.violation) == 0 with input as review(pod({"containers": [{"name": "c"}], "volumes": [{"name": "a", "emptyDir": {}}, {"name": "b", "persistentVolumeClaim": {"claimName": "b"}}]}))
}

test_nfs_volume_fails if {
	some v in pss_volume_types.violation with input as review(pod({"containers": [{"name": "c"}], "volumes": [{"name": "shared", "nfs": {"server": "nas", "path": "/x"}}]}))
	v.field == ["spec", "volumes", 0, "nfs"]
}
