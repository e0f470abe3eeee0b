package gitopsgen.rules.argocd_pinned_revision_prod_test

import rego.v1

import data.gitopsgen.rules.argocd_pinned_revision_prod

application(source) := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "ai-prism-prod"}, "spec": {"source": source}}

test_tag_in_prod_passes if {
	app := application({"path": "environments/production", "targetRevision": "v2.1.0"})
	count(argocd_pinned_revision_prod.violation) == 0 with input as {"env": "prod", "review": {"object": app}}
}

test_commit_sha_in_prod_passes if {
	app := application({"path": "environments/production", "targetRevision": "3f2a9c1d0b7e4a5f6c8d9e0a1b2c3d4e5f6a7b8c"})
	count(argocd_pinned_revision_prod.violation) == 0 with input as {"env": "prod", "review": {"object": app}}
}

test_head_branch_and_empty_in_prod_fail if {
	every revision in ["HEAD", "main", ""] {
		count(argocd_pinned_revision_prod.violation) == 1 with input as {"env": "prod", "review": {"object": application({"path": "p", "targetRevision": revision})}}
	}
	count(argocd_pinned_revision_prod.violation) == 1 with input as {"env": "prod", "review": {"object": application({"path": "p"})}}
}

test_branch_in_staging_passes if {
	app := application({"path": "p", "targetRevision": "main"})
	count(argocd_pinned_revision_prod.violation) == 0 with input as {"env": "staging", "review": {"object": app}}
}
