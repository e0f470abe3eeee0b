# METADATA
# title: Public load balancers restrict their source ranges
# description: A LoadBalancer Service without spec.loadBalancerSourceRanges (and not marked internal) accepts connections from the whole internet.
# custom:
#   id: loadbalancer-source-ranges
#   severity: error
#   category: networking
#   remediation: "Set spec.loadBalancerSourceRanges to the CIDRs that may connect, or mark the load balancer internal (e.g. service.beta.kubernetes.io/aws-load-balancer-internal, networking.gke.io/load-balancer-type: Internal)."
#   remediation_blueprint: Add the internal-load-balancer annotation to service.annotations in the blueprint, or use ingress instead of service.type LoadBalancer.
#   kinds: [Service]
package gitopsgen.rules.loadbalancer_source_ranges

import rego.v1

import data.gitopsgen.lib.annotations
import data.gitopsgen.lib.obj

internal_annotations := {
	"service.beta.kubernetes.io/aws-load-balancer-internal": {"true", "0.0.0.0/0"},
	"service.beta.kubernetes.io/aws-load-balancer-scheme": {"internal"},
	"networking.gke.io/load-balancer-type": {"Internal"},
	"cloud.google.com/load-balancer-type": {"Internal", "internal"},
	"service.beta.kubernetes.io/azure-load-balancer-internal": {"true"},
	"service.beta.kubernetes.io/oci-load-balancer-internal": {"true"},
}

violation contains {"msg": "LoadBalancer Service accepts connections from anywhere: no loadBalancerSourceRanges and not internal", "field": ["spec", "type"]} if {
	obj.spec.type == "LoadBalancer"
	count(object.get(obj, ["spec", "loadBalancerSourceRanges"], [])) == 0
	not internal
}

internal if {
	some key, values in internal_annotations
	annotations[key] in values
}
