# METADATA
# title: No Secret data in the repository
# description: "A kind: Secret with data or stringData in a GitOps repository puts the credential in clear text (base64 is an encoding) in every clone, fork and CI log. Let an ExternalSecret (or a SealedSecret) create it in the cluster."
# custom:
#   id: secret-in-git
#   severity: error
#   category: secrets
#   remediation: Delete the Secret from the manifests, rotate the credential, and create it from the secret manager with an ExternalSecret (or commit a SealedSecret).
#   remediation_blueprint: Remove the Secret from the extra manifests; add an externalSecrets entry to the blueprint that creates it from the secret manager.
#   kinds: [Secret]
package gitopsgen.rules.secret_in_git

import rego.v1

import data.gitopsgen.lib.countable
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": [field]} if {
	some field in ["data", "stringData"]
	values := obj[field]
	countable(values)
	count(values) > 0
	msg := sprintf("the Secret holds %d %s value(s) in the repository", [count(values), field])
}
