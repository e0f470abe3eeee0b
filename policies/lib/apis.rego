# METADATA
# title: Kubernetes API versions and when they go
# description: |
#   For each apiVersion and kind that Kubernetes (or a CRD the project uses) deprecated or
#   removed, the release that deprecated it, the release that removed it (absent: still served)
#   and what replaces it. CRD versions carry "0.0": they are deprecated or removed whatever the
#   cluster's version, by the operator that serves them.
package gitopsgen.lib

import rego.v1

api_lifecycle := {
	"extensions/v1beta1": {
		"Ingress": {"deprecated": "1.14", "removed": "1.22", "use": "networking.k8s.io/v1"},
		"Deployment": {"deprecated": "1.9", "removed": "1.16", "use": "apps/v1"},
		"DaemonSet": {"deprecated": "1.9", "removed": "1.16", "use": "apps/v1"},
		"ReplicaSet": {"deprecated": "1.9", "removed": "1.16", "use": "apps/v1"},
		"NetworkPolicy": {"deprecated": "1.9", "removed": "1.16", "use": "networking.k8s.io/v1"},
		"PodSecurityPolicy": {"deprecated": "1.11", "removed": "1.16", "use": "Pod Security Admission"},
	},
	"apps/v1beta1": {
		"Deployment": {"deprecated": "1.9", "removed": "1.16", "use": "apps/v1"},
		"StatefulSet": {"deprecated": "1.9", "removed": "1.16", "use": "apps/v1"},
	},
	"apps/v1beta2": {
		"Deployment": {"deprecated": "1.9", "removed": "1.16", "use": "apps/v1"},
		"StatefulSet": {"deprecated": "1.9", "removed": "1.16", "use": "apps/v1"},
		"DaemonSet": {"deprecated": "1.9", "removed": "1.16", "use": "apps/v1"},
		"ReplicaSet": {"deprecated": "1.9", "removed": "1.16", "use": "apps/v1"},
	},
	"networking.k8s.io/v1beta1": {
		"Ingress": {"deprecated": "1.19", "removed": "1.22", "use": "networking.k8s.io/v1"},
		"IngressClass": {"deprecated": "1.19", "removed": "1.22", "use": "networking.k8s.io/v1"},
	},
	"batch/v1beta1": {"CronJob": {"deprecated": "1.21", "removed": "1.25", "use": "batch/v1"}},
	"policy/v1beta1": {
		"PodDisruptionBudget": {"deprecated": "1.21", "removed": "1.25", "use": "policy/v1"},
		"PodSecurityPolicy": {"deprecated": "1.21", "removed": "1.25", "use": "Pod Security Admission"},
	},
	"autoscaling/v2beta1": {"HorizontalPodAutoscaler": {"deprecated": "1.22", "removed": "1.25", "use": "autoscaling/v2"}},
	"autoscaling/v2beta2": {"HorizontalPodAutoscaler": {"deprecated": "1.23", "removed": "1.26", "use": "autoscaling/v2"}},
	"rbac.authorization.k8s.io/v1beta1": {
		"Role": {"deprecated": "1.17", "removed": "1.22", "use": "rbac.authorization.k8s.io/v1"},
		"ClusterRole": {"deprecated": "1.17", "removed": "1.22", "use": "rbac.authorization.k8s.io/v1"},
		"RoleBinding": {"deprecated": "1.17", "removed": "1.22", "use": "rbac.authorization.k8s.io/v1"},
		"ClusterRoleBinding": {"deprecated": "1.17", "removed": "1.22", "use": "rbac.authorization.k8s.io/v1"},
	},
	"apiextensions.k8s.io/v1beta1": {"CustomResourceDefinition": {"deprecated": "1.16", "removed": "1.22", "use": "apiextensions.k8s.io/v1"}},
	"admissionregistration.k8s.io/v1beta1": {
		"ValidatingWebhookConfiguration": {"deprecated": "1.16", "removed": "1.22", "use": "admissionregistration.k8s.io/v1"},
		"MutatingWebhookConfiguration": {"deprecated": "1.16", "removed": "1.22", "use": "admissionregistration.k8s.io/v1"},
	},
	"scheduling.k8s.io/v1beta1": {"PriorityClass": {"deprecated": "1.14", "removed": "1.22", "use": "scheduling.k8s.io/v1"}},
	"storage.k8s.io/v1beta1": {
		"StorageClass": {"deprecated": "1.19", "removed": "1.22", "use": "storage.k8s.io/v1"},
		"CSIDriver": {"deprecated": "1.19", "removed": "1.22", "use": "storage.k8s.io/v1"},
		"CSINode": {"deprecated": "1.17", "removed": "1.22", "use": "storage.k8s.io/v1"},
		"VolumeAttachment": {"deprecated": "1.19", "removed": "1.22", "use": "storage.k8s.io/v1"},
		"CSIStorageCapacity": {"deprecated": "1.24", "removed": "1.27", "use": "storage.k8s.io/v1"},
	},
	"discovery.k8s.io/v1beta1": {"EndpointSlice": {"deprecated": "1.21", "removed": "1.25", "use": "discovery.k8s.io/v1"}},
	"events.k8s.io/v1beta1": {"Event": {"deprecated": "1.19", "removed": "1.25", "use": "events.k8s.io/v1"}},
	"node.k8s.io/v1beta1": {"RuntimeClass": {"deprecated": "1.20", "removed": "1.25", "use": "node.k8s.io/v1"}},
	"coordination.k8s.io/v1beta1": {"Lease": {"deprecated": "1.19", "removed": "1.22", "use": "coordination.k8s.io/v1"}},
	"certificates.k8s.io/v1beta1": {"CertificateSigningRequest": {"deprecated": "1.19", "removed": "1.22", "use": "certificates.k8s.io/v1"}},
	"flowcontrol.apiserver.k8s.io/v1beta1": {
		"FlowSchema": {"deprecated": "1.23", "removed": "1.26", "use": "flowcontrol.apiserver.k8s.io/v1"},
		"PriorityLevelConfiguration": {"deprecated": "1.23", "removed": "1.26", "use": "flowcontrol.apiserver.k8s.io/v1"},
	},
	"flowcontrol.apiserver.k8s.io/v1beta2": {
		"FlowSchema": {"deprecated": "1.26", "removed": "1.29", "use": "flowcontrol.apiserver.k8s.io/v1"},
		"PriorityLevelConfiguration": {"deprecated": "1.26", "removed": "1.29", "use": "flowcontrol.apiserver.k8s.io/v1"},
	},
	"flowcontrol.apiserver.k8s.io/v1beta3": {
		"FlowSchema": {"deprecated": "1.29", "removed": "1.32", "use": "flowcontrol.apiserver.k8s.io/v1"},
		"PriorityLevelConfiguration": {"deprecated": "1.29", "removed": "1.32", "use": "flowcontrol.apiserver.k8s.io/v1"},
	},
	# CRDs the project renders or commonly sits next to.
	"external-secrets.io/v1beta1": {
		"ExternalSecret": {"deprecated": "0.0", "use": "external-secrets.io/v1 (External Secrets Operator 0.16+)"},
		"SecretStore": {"deprecated": "0.0", "use": "external-secrets.io/v1 (External Secrets Operator 0.16+)"},
		"ClusterSecretStore": {"deprecated": "0.0", "use": "external-secrets.io/v1 (External Secrets Operator 0.16+)"},
		"ClusterExternalSecret": {"deprecated": "0.0", "use": "external-secrets.io/v1 (External Secrets Operator 0.16+)"},
	},
	"external-secrets.io/v1alpha1": {
		"ExternalSecret": {"deprecated": "0.0", "removed": "0.0", "use": "external-secrets.io/v1"},
		"SecretStore": {"deprecated": "0.0", "removed": "0.0", "use": "external-secrets.io/v1"},
		"ClusterSecretStore": {"deprecated": "0.0", "removed": "0.0", "use": "external-secrets.io/v1"},
	},
	"cert-manager.io/v1alpha2": {"Certificate": {"deprecated": "0.0", "removed": "0.0", "use": "cert-manager.io/v1"}, "Issuer": {"deprecated": "0.0", "removed": "0.0", "use": "cert-manager.io/v1"}, "ClusterIssuer": {"deprecated": "0.0", "removed": "0.0", "use": "cert-manager.io/v1"}},
	"cert-manager.io/v1beta1": {"Certificate": {"deprecated": "0.0", "removed": "0.0", "use": "cert-manager.io/v1"}, "Issuer": {"deprecated": "0.0", "removed": "0.0", "use": "cert-manager.io/v1"}, "ClusterIssuer": {"deprecated": "0.0", "removed": "0.0", "use": "cert-manager.io/v1"}},
	"networking.istio.io/v1alpha3": {
		"VirtualService": {"deprecated": "0.0", "use": "networking.istio.io/v1"},
		"DestinationRule": {"deprecated": "0.0", "use": "networking.istio.io/v1"},
		"Gateway": {"deprecated": "0.0", "use": "networking.istio.io/v1"},
	},
}

# The lifecycle entry of the object under review, when its apiVersion is deprecated or removed.
api_entry := entry if {
	of_version := api_lifecycle[object.get(obj, "apiVersion", "")]
	entry := of_version[kind]
}

# [major, minor] of "1.29", "v1.29.3" or 1.29 (a number, as YAML reads an unquoted 1.29).
version_parts(v) := [to_number(parts[0]), to_number(parts[1])] if {
	text := trim_prefix(sprintf("%v", [v]), "v")
	parts := split(text, ".")
	count(parts) >= 2
	regex.match(`^[0-9]+$`, parts[0])
	regex.match(`^[0-9]+$`, parts[1])
}

# Whether release a is at or before release b.
version_at_most(a, b) if {
	pa := version_parts(a)
	pb := version_parts(b)
	pa[0] < pb[0]
}

version_at_most(a, b) if {
	pa := version_parts(a)
	pb := version_parts(b)
	pa[0] == pb[0]
	pa[1] <= pb[1]
}
