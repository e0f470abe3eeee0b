# METADATA
# title: No deprecated apiVersion
# description: An apiVersion deprecated at or before the cluster's Kubernetes version still works but will be removed; moving while both versions are served avoids a failed sync on the upgrade. Deprecated CRD versions (external-secrets.io/v1beta1, networking.istio.io/v1alpha3) are reported whatever the version.
# custom:
#   id: api-deprecated
#   severity: warning
#   category: api-versions
#   remediation: Change apiVersion to the replacement the message names while both versions are served.
#   remediation_blueprint: Update the gitopsgen version (its templates use current API versions), or fix the extra manifest that carries the old apiVersion.
#   kinds: []
#   inputs: [kubernetes_version]
package gitopsgen.rules.api_deprecated

import rego.v1

import data.gitopsgen.lib.api_entry
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.version_at_most

params := parameters("api-deprecated")

violation contains {"msg": msg, "field": ["apiVersion"]} if {
	entry := api_entry
	version_at_most(entry.deprecated, params.kubernetes_version)
	not removed(entry)
	msg := sprintf("%s %s is deprecated (since %v): use %s", [obj.apiVersion, kind, release(entry.deprecated), entry.use])
}

removed(entry) if version_at_most(entry.removed, params.kubernetes_version)

release(version) := "the current release of its operator" if version == "0.0"

release(version) := sprintf("Kubernetes %v", [version]) if version != "0.0"
