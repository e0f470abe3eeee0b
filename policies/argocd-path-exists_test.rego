package gitopsgen.rules.argocd_path_exists_test

import rego.v1

import data.gitopsgen.rules.argocd_path_exists

application(path) := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "ai-prism-prod", "namespace": "argocd"}, "spec": {
	"source": {"repoURL": "https://git.example.com/gitops.git", "path": path, "targetRevision": "v2.1.0"},
}}

rendered := ["apps/ai-prism-api/overlays/prod", "apps/ai-prism-api/base"]

test_rendered_path_passes if {
	count(argocd_path_exists.violation) == 0 with input as {"review": {"object": application("apps/ai-prism-api/overlays/prod/")}}
		with data.project as {"rendered_paths": rendered, "rendered_roots": ["apps", "argocd"]}
}

test_unknown_path_fails if {
	some v in argocd_path_exists.violation with input as {"review": {"object": application("apps/ai-prism/overlays/prod")}}
		with data.project as {"rendered_paths": rendered, "rendered_roots": ["apps", "argocd"]}
	v.field == ["spec", "source", "path"]
}

test_paths_outside_the_rendered_roots_are_not_checked if {
	count(argocd_path_exists.violation) == 0 with input as {"review": {"object": application("charts/shared-web")}}
		with data.project as {"rendered_paths": rendered, "rendered_roots": ["apps", "argocd"]}
}
