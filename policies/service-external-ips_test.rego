package gitopsgen.rules.service_external_ips_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.service_external_ips

service(spec) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "app"}, "spec": spec}

test_no_external_ips_pass if {
	count(service_external_ips.violation) == 0 with input as {"review": {"object": service({"ports": [{"port": 80}]})}}
}

test_external_ips_fail if {
	count(service_external_ips.violation) == 1 with input as {"review": {"object": service({"externalIPs": ["203.0.113.10"]})}}
}
