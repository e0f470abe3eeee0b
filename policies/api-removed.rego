# METADATA
# title: No apiVersion the target Kubernetes version no longer serves
# description: "An object whose apiVersion was removed at or before the cluster's Kubernetes version (policies/config.yaml kubernetes_version, or --kubernetes-version) is rejected by the API server: Argo CD cannot sync it. Removed CRD versions (cert-manager v1alpha2/v1beta1, external-secrets v1alpha1) are reported whatever the version."
# custom:
#   id: api-removed
#   severity: error
#   category: api-versions
#   remediation: Change apiVersion to the replacement the message names and adapt the fields that changed with it (kubectl convert helps for built-in kinds).
#   remediation_blueprint: Update the gitopsgen version (its templates use current API versions), or fix the extra manifest that carries the old apiVersion.
#   kinds: []
#   inputs: [kubernetes_version]
package gitopsgen.rules.api_removed

import rego.v1

import data.gitopsgen.lib.api_entry
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.version_at_most

params := parameters("api-removed")

violation contains {"msg": msg, "field": ["apiVersion"]} if {
	entry := api_entry
	version_at_most(entry.removed, params.kubernetes_version)
	msg := sprintf("%s %s was removed in Kubernetes %v: use %s", [obj.apiVersion, kind, entry.removed, entry.use])
}
