# METADATA
# title: No credentials in plain env values or ConfigMaps
# description: Env var values and ConfigMap data must not hold credentials (AWS keys, passwords, tokens, API keys, private keys, URLs with embedded passwords). Reference a Secret (secretKeyRef, filled by an ExternalSecret) instead. Messages never repeat the value.
# custom:
#   id: plaintext-credentials
#   severity: error
#   category: secrets
#   remediation: "Move the value into a Secret (created by an ExternalSecret, not committed) and reference it with env[].valueFrom.secretKeyRef."
#   remediation_blueprint: "Move the value into the secret manager and reference it through externalSecrets and env[].secretKeyRef in the blueprint."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout, ConfigMap]
package gitopsgen.rules.plaintext_credentials

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.parameters

params := parameters("plaintext-credentials")

default name_pattern := `(?i)(passw(or)?d|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)`

name_pattern := params.name_pattern

# Names that mention a secret but hold a reference to one, not the secret itself.
default reference_pattern := `(?i)[_-](file|path|name|ref|ttl|header|type|length)$`

reference_pattern := params.reference_pattern

default value_patterns := {
	"an AWS access key id": `\b(AKIA|ASIA)[0-9A-Z]{16}\b`,
	"a private key": `-----BEGIN [A-Z ]*PRIVATE KEY-----`,
	"a URL with an embedded password": `[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`,
	"an OpenAI/Anthropic API key": `\bsk-(ant-)?[A-Za-z0-9_-]{20,}`,
	"a GitHub token": `\bgh[pousr]_[A-Za-z0-9]{36,}`,
	"a Slack token": `\bxox[abprs]-[A-Za-z0-9-]{10,}`,
}

value_patterns := params.value_patterns

violation contains {"msg": msg, "field": array.concat(entry.path, ["env", i, "value"])} if {
	some entry in all_containers
	some i, variable in items_at(entry, ["container", "env"])
	is_object(variable)
	variable_name := object.get(variable, "name", sprintf("env[%d]", [i]))
	why := credential(variable_name, variable.value)
	msg := sprintf("container %q env %v holds %s in plain text", [entry.label, variable_name, why])
}

violation contains {"msg": msg, "field": ["data", key]} if {
	kind == "ConfigMap"
	some key, value in items_at(obj, ["data"])
	why := credential(key, value)
	msg := sprintf("ConfigMap key %s holds %s in plain text", [key, why])
}

credential(_, value) := reasons[0] if {
	is_string(value)
	reasons := [why | some why, pattern in value_patterns; regex.match(pattern, value)]
	count(reasons) > 0
}

credential(name, value) := "a credential-named value" if {
	is_string(value)
	count(trim_space(value)) > 0
	not matches_value_pattern(value)
	is_string(name)
	regex.match(name_pattern, name)
	not regex.match(reference_pattern, name)
	not placeholder(value)
}

matches_value_pattern(value) if {
	some pattern in value_patterns
	regex.match(pattern, value)
}

# Values such as "$(DB_PASSWORD)" or "true" are references or flags, not credentials.
placeholder(value) if regex.match(`^(\$\(.+\)|\$\{.+\}|true|false|enabled|disabled|[0-9]+)$`, value)
