package gitopsgen.rules.loadbalancer_source_ranges_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.loadbalancer_source_ranges

service(spec) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "app"}, "spec": spec}

test_source_ranges_pass if {
	count(loadbalancer_source_ranges.violation) == 0 with input as {"review": {"object": service({"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8"]})}}
}

test_internal_annotation_passes if {
	s := object.union(service({"type": "LoadBalancer"}), {"metadata": {"annotations": {"networking.gke.io/load-balancer-type": "Internal"}}})
	count(loadbalancer_source_ranges.violation) == 0 with input as {"review": {"object": s}}
}

test_open_load_balancer_fails if {
	count(loadbalancer_source_ranges.violation) == 1 with input as {"review": {"object": service({"type": "LoadBalancer"})}}
}
