package gitopsgen.rules.argocd_prune_opt_in_prod_test

import rego.v1

import data.gitopsgen.rules.argocd_prune_opt_in_prod

application(annotations) := {"kind": "Application", "metadata": {"name": "ai-prism-prod", "annotations": annotations}, "spec": {
	"syncPolicy": {"automated": {"prune": true, "selfHeal": true}},
}}

test_opted_in_prune_passes if {
	app := application({"gitopsgen.io/allow-auto-prune": "true"})
	count(argocd_prune_opt_in_prod.violation) == 0 with input as {"env": "prod", "review": {"object": app}}
}

test_prune_in_dev_passes if {
	count(argocd_prune_opt_in_prod.violation) == 0 with input as {"env": "dev", "review": {"object": application({})}}
}

test_prune_without_opt_in_fails if {
	count(argocd_prune_opt_in_prod.violation) == 1 with input as {"env": "prod", "review": {"object": application({})}}
}
