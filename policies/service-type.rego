# METADATA
# title: Services use a type the environment allows
# description: NodePort opens a port on every node and LoadBalancer a cloud load balancer, usually reachable from outside the cluster; each environment lists the Service types it allows (parameters allowed_types in policies/config.yaml), ClusterIP only by default. Expose HTTP through an Ingress.
# custom:
#   id: service-type
#   severity: error
#   category: networking
#   remediation: Use type ClusterIP behind an Ingress, or allow the type for the environment (policies/config.yaml parameters.service-type.allowed_types).
#   remediation_blueprint: Remove service.type from the blueprint (ClusterIP) and use ingress, or allow the type in policies/config.yaml for that environment.
#   kinds: [Service]
package gitopsgen.rules.service_type

import rego.v1

import data.gitopsgen.lib.obj
import data.gitopsgen.lib.parameters

params := parameters("service-type")

default allowed_types := ["ClusterIP"]

allowed_types := params.allowed_types

violation contains {"msg": msg, "field": ["spec", "type"]} if {
	service_type := object.get(obj, ["spec", "type"], "ClusterIP")
	service_type != "ExternalName"
	not service_type in allowed_types
	msg := sprintf("Service type %v is not allowed here (allowed: %s)", [service_type, concat(", ", allowed_types)])
}
