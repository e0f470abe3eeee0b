# METADATA
# title: Selectors still match a Flagger canary's primary pods
# description: "Flagger runs the target of a Canary (a Deployment or DaemonSet) as a copy named <target>-primary, which serves the traffic, and scales the target itself to zero between analyses. The primary's pods carry the target's pod labels except one: the first of Flagger's selector labels (-selector-labels, by default app, name, app.kubernetes.io/name) found in the target's spec.selector.matchLabels gets the value <value>-primary. A NetworkPolicy (its podSelector, or the podSelector of a peer in its own namespace), PodDisruptionBudget, Service or Istio PeerAuthentication/AuthorizationPolicy that selects the target's pods but not the primary's protects, counts or routes to the canary pods only."
# custom:
#   id: flagger-primary-selector
#   severity: error
#   category: correctness
#   remediation: "Select the pods on a label Flagger copies unchanged to the primary (app.kubernetes.io/instance, or a label of your own on the pod template), not on the selector label it rewrites; the Services <service>, <service>-primary and <service>-canary are Flagger's own. If Flagger runs with other -selector-labels, set parameters.flagger-primary-selector.selector_labels to the same list."
#   remediation_blueprint: "gitopsgen selects an app with rollout.controller flagger by app.kubernetes.io/instance (NetworkPolicy, PodDisruptionBudget, PeerAuthentication): check overlay patches and other apps' networkPolicy peers (pods:) that name it by app.kubernetes.io/name; use app.kubernetes.io/instance there."
#   kinds: [NetworkPolicy, PodDisruptionBudget, Service, PeerAuthentication, AuthorizationPolicy]
package gitopsgen.rules.flagger_primary_selector

import rego.v1

import data.gitopsgen.lib.display_name
import data.gitopsgen.lib.has_key
import data.gitopsgen.lib.inventory_of_kind
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.kind
import data.gitopsgen.lib.map_matches
import data.gitopsgen.lib.name
import data.gitopsgen.lib.namespace
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.object_at
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.pod_template_labels
import data.gitopsgen.lib.selector_matches

params := parameters("flagger-primary-selector")

# Flagger's -selector-labels, in its order (its default unless the project's parameters say otherwise).
default selector_labels := ["app", "name", "app.kubernetes.io/name"]

selector_labels := params.selector_labels

# Istio's workload selectors: spec.selector.matchLabels, a plain label map.
istio_selector_kinds := {"PeerAuthentication", "AuthorizationPolicy"}

# The pod selectors of the object under review: {"selector", "plain" (a plain map, as a Service's), "field"}.
selectors contains {"selector": obj.spec.selector, "plain": true, "field": ["spec", "selector"]} if {
	kind == "Service"
	is_object(obj.spec.selector)
}

selectors contains {"selector": obj.spec.selector, "plain": false, "field": ["spec", "selector"]} if {
	kind == "PodDisruptionBudget"
	is_object(obj.spec.selector)
}

selectors contains {"selector": obj.spec.selector.matchLabels, "plain": true, "field": ["spec", "selector", "matchLabels"]} if {
	kind in istio_selector_kinds
	startswith(object.get(obj, "apiVersion", ""), "security.istio.io/")
	is_object(obj.spec.selector.matchLabels)
}

selectors contains {"selector": obj.spec.podSelector, "plain": false, "field": ["spec", "podSelector"]} if {
	kind == "NetworkPolicy"
	is_object(obj.spec.podSelector)
}

# A peer's podSelector without a namespaceSelector selects pods of the policy's own namespace.
selectors contains {"selector": peer.podSelector, "plain": false, "field": ["spec", direction, i, side, j, "podSelector"]} if {
	kind == "NetworkPolicy"
	some direction, side in {"ingress": "from", "egress": "to"}
	some i, rule in items_at(obj, ["spec", direction])
	some j, peer in items_at(rule, side)
	is_object(peer)
	not has_key(peer, "namespaceSelector")
	is_object(peer.podSelector)
}

# Each Canary target of this namespace: the label Flagger rewrites, its value, and the pod labels
# of the target and of its primary.
targets contains {"canary": display_name(canary), "kind": workload.kind, "name": display_name(workload), "label": label, "value": value, "labels": labels, "primary": primary} if {
	some canary in inventory_of_kind(namespace, "Canary")
	startswith(object.get(canary, "apiVersion", ""), "flagger.app/")
	ref := object_at(canary, ["spec", "targetRef"])
	target_kind := object.get(ref, "kind", "")
	target_kind in {"Deployment", "DaemonSet"}
	some workload in inventory_of_kind(namespace, target_kind)
	display_name(workload) == object.get(ref, "name", "")
	match_labels := object_at(workload, ["spec", "selector", "matchLabels"])
	some i, label in selector_labels
	value := match_labels[label]
	is_string(value)
	not chosen_before(match_labels, i)
	labels := pod_template_labels(workload)
	primary := object.union(labels, {label: concat("", [value, "-primary"])})
}

# Flagger takes the first of its selector labels that the target's selector has.
chosen_before(match_labels, i) if {
	some j, label in selector_labels
	j < i
	has_key(match_labels, label)
}

violation contains {"msg": msg, "field": entry.field} if {
	some target in targets # first: most namespaces have no Canary, and then no selector is collected
	some entry in selectors
	selects(entry, target.labels)
	not selects(entry, target.primary)
	msg := sprintf("%s %s selects the pods of %s %s by %s=%s, which Flagger sets to %s-primary on the pods of %s-primary that serve the traffic (Canary %s): select on a label Flagger copies unchanged", [kind, name, target.kind, target.name, target.label, target.value, target.value, target.name, target.canary])
}

selects(entry, labels) if {
	entry.plain
	map_matches(entry.selector, labels)
}

selects(entry, labels) if {
	not entry.plain
	selector_matches(entry.selector, labels)
}
