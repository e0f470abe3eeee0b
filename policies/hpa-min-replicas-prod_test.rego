package gitopsgen.rules.hpa_min_replicas_prod_test

import rego.v1

import data.gitopsgen.rules.hpa_min_replicas_prod

hpa(minimum) := {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"}, "spec": {"minReplicas": minimum, "maxReplicas": 10}}

test_two_in_prod_passes if {
	count(hpa_min_replicas_prod.violation) == 0 with input as {"env": "prod", "review": {"object": hpa(2)}}
}

test_one_in_dev_passes if {
	count(hpa_min_replicas_prod.violation) == 0 with input as {"env": "dev", "review": {"object": hpa(1)}}
}

test_one_in_prod_fails if {
	count(hpa_min_replicas_prod.violation) == 1 with input as {"env": "prod", "review": {"object": hpa(1)}}
}

test_parameter_raises_the_minimum if {
	count(hpa_min_replicas_prod.violation) == 1 with input as {"env": "prod", "parameters": {"min_replicas": 3}, "review": {"object": hpa(2)}}
}
