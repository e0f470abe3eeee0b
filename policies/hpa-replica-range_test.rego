package gitopsgen.rules.hpa_replica_range_test

import rego.v1

import data.gitopsgen.rules.hpa_replica_range

hpa(minimum, maximum) := {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"}, "spec": {"minReplicas": minimum, "maxReplicas": maximum}}

test_range_passes if {
	count(hpa_replica_range.violation) == 0 with input as {"review": {"object": hpa(3, 20)}}
}

test_inverted_range_fails if {
	count(hpa_replica_range.violation) == 1 with input as {"review": {"object": hpa(10, 5)}}
}
