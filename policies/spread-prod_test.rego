package gitopsgen.rules.spread_prod_test

import rego.v1

import data.gitopsgen.rules.spread_prod

deployment(spec) := {"kind": "Deployment", "metadata": {"name": "api"}, "spec": {"replicas": 10, "template": {"spec": object.union({"containers": [{"name": "api"}]}, spec)}}}

anti_affinity := {"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
	"weight": 100,
	"podAffinityTerm": {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app": "api"}}},
}]}}}

test_anti_affinity_in_prod_passes if {
	count(spread_prod.violation) == 0 with input as {"env": "prod", "review": {"object": deployment(anti_affinity)}}
}

test_topology_spread_in_prod_passes if {
	spread := {"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway"}]}
	count(spread_prod.violation) == 0 with input as {"env": "prod", "review": {"object": deployment(spread)}}
}

test_no_spread_in_prod_fails if {
	count(spread_prod.violation) == 1 with input as {"env": "prod", "review": {"object": deployment({})}}
}

test_no_spread_in_staging_passes if {
	count(spread_prod.violation) == 0 with input as {"env": "staging", "review": {"object": deployment({})}}
}
