package gitopsgen.rules.cloud_static_credentials_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.cloud_static_credentials

account := {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "api", "namespace": "app", "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/api"}}}

pod(env) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api", "namespace": "app"}, "spec": {"serviceAccountName": "api", "containers": [{"name": "c", "env": env}]}}

key_ref := [{"name": "AWS_ACCESS_KEY_ID", "valueFrom": {"secretKeyRef": {"name": "aws", "key": "id"}}}]

test_identity_without_keys_passes if {
	p := pod([{"name": "AWS_REGION", "value": "eu-west-1"}])
	count(cloud_static_credentials.violation) == 0 with input as {"review": {"object": p}} with data.inventory as lib.inventory_of([p, account])
}

test_keys_without_identity_pass if {
	p := pod(key_ref)
	count(cloud_static_credentials.violation) == 0 with input as {"review": {"object": p}} with data.inventory as lib.inventory_of([p])
}

test_keys_next_to_identity_fail if {
	p := pod(key_ref)
	count(cloud_static_credentials.violation) == 1 with input as {"review": {"object": p}} with data.inventory as lib.inventory_of([p, account])
}

test_external_secret_syncing_keys_fails if {
	e := {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "aws", "namespace": "app"}, "spec": {"data": [{"secretKey": "AWS_SECRET_ACCESS_KEY", "remoteRef": {"key": "aws"}}]}}
	count(cloud_static_credentials.violation) == 1 with input as {"review": {"object": e}} with data.inventory as lib.inventory_of([e, account])
}

# One finding per synced key, naming every ServiceAccount with an identity, not one per account.
test_external_secret_reported_once_per_key if {
	e := {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "aws", "namespace": "app"}, "spec": {"data": [{"secretKey": "AWS_SECRET_ACCESS_KEY", "remoteRef": {"key": "aws"}}]}}
	second := json.patch(account, [{"op": "replace", "path": "/metadata/name", "value": "eso"}])
	findings := cloud_static_credentials.violation with input as {"review": {"object": e}} with data.inventory as lib.inventory_of([e, account, second])
	count(findings) == 1
	some finding in findings
	contains(finding.msg, "(api, eso)")
}

test_external_secret_without_identity_passes if {
	e := {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "aws", "namespace": "app"}, "spec": {"data": [{"secretKey": "AWS_SECRET_ACCESS_KEY", "remoteRef": {"key": "aws"}}]}}
	count(cloud_static_credentials.violation) == 0 with input as {"review": {"object": e}} with data.inventory as lib.inventory_of([e])
}
