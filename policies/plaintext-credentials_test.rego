package gitopsgen.rules.plaintext_credentials_test

import rego.v1

import data.gitopsgen.rules.plaintext_credentials

deployment(env) := {"kind": "Deployment", "metadata": {"name": "backend"}, "spec": {"template": {"spec": {"containers": [{"name": "api", "env": env}]}}}}

test_secret_references_and_plain_settings_pass if {
	env := [
		{"name": "OPENAI_API_KEY", "valueFrom": {"secretKeyRef": {"name": "ai-secrets", "key": "openai-api-key"}}},
		{"name": "LOG_LEVEL", "value": "info"},
		{"name": "TOKEN_TTL", "value": "3600"},
		{"name": "AUTH_ENABLED", "value": "true"},
	]
	count(plaintext_credentials.violation) == 0 with input as {"review": {"object": deployment(env)}}
}

test_plain_password_and_aws_key_fail if {
	env := [
		{"name": "DB_PASSWORD", "value": "hunter2"},
		{"name": "AWS_KEY", "value": "AKIAIOSFODNN7EXAMPLE"},
	]
	violations := plaintext_credentials.violation with input as {"review": {"object": deployment(env)}}
	{v.field | some v in violations} == {
		["spec", "template", "spec", "containers", 0, "env", 0, "value"],
		["spec", "template", "spec", "containers", 0, "env", 1, "value"],
	}
	every v in violations {
		not contains(v.msg, "hunter2")
		not contains(v.msg, "AKIA")
	}
}

test_configmap_database_url_with_password_fails if {
	cm := {"kind": "ConfigMap", "metadata": {"name": "agent-mitra"}, "data": {
		"DATABASE_URL": "postgresql://app:s3cret@db.internal:5432/agents",
		"REDIS_HOST": "redis.internal",
	}}
	violations := plaintext_credentials.violation with input as {"review": {"object": cm}}
	{v.field | some v in violations} == {["data", "DATABASE_URL"]}
}
