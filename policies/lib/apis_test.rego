package gitopsgen.lib.apis_test

import rego.v1

import data.gitopsgen.lib

test_versions_compare_by_number_not_text if {
	lib.version_at_most("1.9", "1.16")
	not lib.version_at_most("1.16", "1.9")
	lib.version_at_most("v1.29.3", "1.29")
	lib.version_at_most("0.0", "1.20")
}

test_a_version_that_is_no_release_compares_to_nothing if {
	not lib.version_at_most("1.25", "latest")
}

test_api_entry_of_a_removed_version if {
	entry := lib.api_entry with input as {"review": {"object": {"apiVersion": "batch/v1beta1", "kind": "CronJob"}}}
	entry.removed == "1.25"
}
