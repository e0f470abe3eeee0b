package gitopsgen.rules.argocd_source_hydrator_consistent_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.argocd_source_hydrator_consistent as rule

hydrator := {
	"drySource": {"repoURL": "https://git.example.com/gitops.git", "targetRevision": "main", "path": "apps/api/overlays/prod"},
	"syncSource": {"targetBranch": "environments/prod", "path": "apps/api/hydrated/prod"},
	"hydrateTo": {"targetBranch": "environments/prod-next"},
}

application(name, spec) := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": name, "namespace": "argocd"}, "spec": spec}

app(spec) := application("api-prod", spec)

violations(o) := found if {
	found := rule.violation with input as {"review": {"object": o}} with data.inventory as lib.inventory_of([o])
}

test_what_gitopsgen_writes_passes if {
	count(violations(app({"project": "default", "sourceHydrator": hydrator}))) == 0
}

test_applications_without_a_source_hydrator_are_not_checked if {
	count(violations(app({"source": {"repoURL": "x", "path": "", "targetRevision": "main"}}))) == 0
}

test_a_source_next_to_the_hydrator_fails if {
	some v in violations(app({"sourceHydrator": hydrator, "source": {"repoURL": "x", "path": "p"}}))
	v.field == ["spec", "source"]
}

test_a_missing_dry_path_fails if {
	some v in violations(app({"sourceHydrator": json.patch(hydrator, [{"op": "remove", "path": "/drySource/path"}])}))
	v.field == ["spec", "sourceHydrator", "drySource", "path"]
}

test_hydrating_into_the_dry_branch_fails if {
	some v in violations(app({"sourceHydrator": json.patch(hydrator, [{"op": "replace", "path": "/syncSource/targetBranch", "value": "main"}])}))
	v.field == ["spec", "sourceHydrator", "syncSource", "targetBranch"]
}

test_a_missing_sync_branch_fails if {
	some v in violations(app({"sourceHydrator": json.patch(hydrator, [{"op": "remove", "path": "/syncSource/targetBranch"}])}))
	contains(v.msg, "targetBranch is missing")
}

test_the_repository_root_or_an_escaping_path_fails if {
	every path in [".", "", "/apps", "apps/../../x"] {
		some v in violations(app({"sourceHydrator": json.patch(hydrator, [{"op": "replace", "path": "/syncSource/path", "value": path}])}))
		v.field == ["spec", "sourceHydrator", "syncSource", "path"]
	}
}

test_staging_on_the_synced_branch_fails if {
	some v in violations(app({"sourceHydrator": json.patch(hydrator, [{"op": "replace", "path": "/hydrateTo/targetBranch", "value": "environments/prod"}])}))
	v.field == ["spec", "sourceHydrator", "hydrateTo", "targetBranch"]
}

test_two_applications_hydrating_into_one_place_fail if {
	mine := app({"sourceHydrator": hydrator})
	other := application("web-prod", {"sourceHydrator": json.patch(hydrator, [{"op": "replace", "path": "/syncSource/path", "value": "apps/api/hydrated/prod/"}])})
	some v in rule.violation with input as {"review": {"object": mine}} with data.inventory as lib.inventory_of([mine, other])
	contains(v.msg, "web-prod also hydrates into environments/prod")
}

test_a_sync_path_that_is_not_text_fails_and_is_written_as_it_is if {
	some v in violations(app({"sourceHydrator": json.patch(hydrator, [{"op": "replace", "path": "/syncSource/path", "value": 7}])}))
	v.field == ["spec", "sourceHydrator", "syncSource", "path"]
	startswith(v.msg, "syncSource.path 7 must be a folder")
}
