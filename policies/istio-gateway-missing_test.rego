package gitopsgen.rules.istio_gateway_missing_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.istio_gateway_missing

gateway(ns, name) := {"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": {"name": name, "namespace": ns},
	"spec": {"selector": {"istio": "ingress"}, "servers": []}}

k8s_gateway := {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": "public", "namespace": "shop"}, "spec": {}}

route(gateways) := {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "web", "namespace": "shop"},
	"spec": {"hosts": ["web.example.com"], "gateways": gateways, "http": []}}

canary(gateways) := {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "api", "namespace": "shop"},
	"spec": {"service": {"port": 8080, "gateways": gateways}}}

violations(o, objects) := found if {
	found := istio_gateway_missing.violation with input as {"review": {"object": o}} with data.inventory as lib.inventory_of(array.concat([o], objects))
}

test_existing_gateways_pass if {
	count(violations(route(["public", "shop/public", "mesh"]), [gateway("shop", "public")])) == 0
	count(violations(canary(["public"]), [gateway("shop", "public")])) == 0
}

test_platform_gateways_pass if {
	# the set manages no Istio Gateway (a Gateway API one does not count), or none in istio-system
	count(violations(route(["public", "istio-system/public"]), [k8s_gateway])) == 0
	count(violations(route(["istio-system/public-gateway"]), [gateway("shop", "public")])) == 0
	count(violations(route(["public.istio-system.svc.cluster.local"]), [gateway("shop", "public")])) == 0
}

test_missing_gateway_in_the_routes_namespace_fails if {
	found := violations(canary(["pubic"]), [gateway("shop", "public")])
	count(found) == 1
	some v in found
	v.field == ["spec", "service", "gateways", 0]
	v.msg == "Canary routes through Istio Gateway shop/pubic, which nothing in the set creates"
}

test_missing_gateway_in_a_managed_namespace_fails if {
	found := violations(route(["mesh", "edge/public"]), [gateway("edge", "internal")])
	count(found) == 1
	some v in found
	v.field == ["spec", "gateways", 1]
}
