package gitopsgen.rules.duplicate_env_name_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.duplicate_env_name

pod(env) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "env": env}]}}

test_distinct_names_pass if {
	count(duplicate_env_name.violation) == 0 with input as {"review": {"object": pod([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])}}
}

test_repeated_name_fails if {
	some v in duplicate_env_name.violation with input as {"review": {"object": pod([{"name": "A", "value": "1"}, {"name": "B"}, {"name": "A", "value": "2"}])}}
	v.field == ["spec", "containers", 0, "env", 2, "name"]
}
