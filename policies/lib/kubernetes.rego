# METADATA
# title: Shared helpers for the built-in policies
# description: |
#   The object under review, the pod spec of any workload kind with its field path,
#   every container (regular, init and ephemeral), label selectors, the environment,
#   and the inventory of all objects linted together (Gatekeeper's data.inventory layout:
#   data.inventory.namespace[<ns>][<apiVersion>][<kind>][<name>]).
package gitopsgen.lib

import rego.v1

workload_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"}

# Kinds that keep a number of replicas running (and so can be disrupted or spread).
replicated_kinds := {"Deployment", "StatefulSet", "ReplicaSet"}

# The object under review: Gatekeeper's input.review.object, or input.object.
obj := input.review.object

obj := input.object if not input.review.object

kind := obj.kind

name := obj.metadata.name

namespace := object.get(obj, ["metadata", "namespace"], "default")

params := object.get(input, "parameters", {})

# Environment handling: the linter puts the environment name in input.env.
default prod_environments := ["prod", "production"]

prod_environments := input.prod_environments

is_prod if input.env in prod_environments

# --- pod spec and containers -------------------------------------------------

pod_spec_path(o) := ["spec"] if o.kind == "Pod"

pod_spec_path(o) := ["spec", "jobTemplate", "spec", "template", "spec"] if o.kind == "CronJob"

pod_spec_path(o) := ["spec", "template", "spec"] if o.kind in (workload_kinds - {"Pod", "CronJob"})

pod_spec_of(o) := object.get(o, pod_spec_path(o), {})

pod_spec := pod_spec_of(obj)

pod_template_labels(o) := object.get(o, ["metadata", "labels"], {}) if o.kind == "Pod"

pod_template_labels(o) := object.get(o, array.concat(pod_template_path(o), ["labels"]), {}) if {
	o.kind != "Pod"
}

# Every container with its field path; field is containers, initContainers or ephemeralContainers.
all_containers contains {"container": c, "path": array.concat(pod_spec_path(obj), [field, i]), "field": field} if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some i, c in object.get(pod_spec, field, [])
}

# Containers that run the application (probes apply to these only).
app_containers contains entry if {
	some entry in all_containers
	entry.field == "containers"
}

# Containers that can declare resources (ephemeral containers cannot).
resourced_containers contains entry if {
	some entry in all_containers
	entry.field != "ephemeralContainers"
}

# A security setting of a container, falling back to the pod securityContext.
security_value(container, key) := container.securityContext[key]

security_value(container, key) := pod_spec.securityContext[key] if {
	not has_key(object.get(container, "securityContext", {}), key)
}

has_key(o, key) if {
	_ = o[key]
}

# --- labels and selectors ----------------------------------------------------

# True when a label selector (matchLabels/matchExpressions, or a plain map for Services) matches labels.
selector_matches(selector, labels) if {
	not is_label_selector(selector)
	count(selector) > 0
	every key, value in selector {
		labels[key] == value
	}
}

selector_matches(selector, labels) if {
	is_label_selector(selector)
	every key, value in object.get(selector, "matchLabels", {}) {
		labels[key] == value
	}
	every expression in object.get(selector, "matchExpressions", []) {
		expression_matches(expression, labels)
	}
}

is_label_selector(selector) if has_key(selector, "matchLabels")

is_label_selector(selector) if has_key(selector, "matchExpressions")

is_label_selector(selector) if count(selector) == 0

expression_matches(e, labels) if {
	e.operator == "In"
	labels[e.key] in e.values
}

expression_matches(e, labels) if {
	e.operator == "NotIn"
	not labels[e.key] in e.values
}

expression_matches(e, labels) if {
	e.operator == "Exists"
	has_key(labels, e.key)
}

expression_matches(e, labels) if {
	e.operator == "DoesNotExist"
	not has_key(labels, e.key)
}

# --- inventory: every object linted together ---------------------------------

inventory_objects(ns) := [o | some o in data.inventory.namespace[ns][_][_]]

inventory_of_kind(ns, k) := [o | some o in data.inventory.namespace[ns][_][k]]

# Workloads of a namespace that carry a pod template.
workloads_in(ns) := [o | some o in inventory_objects(ns); o.kind in workload_kinds]

# HorizontalPodAutoscalers that scale a workload.
hpas_for(o) := [h |
	some h in inventory_of_kind(object.get(o, ["metadata", "namespace"], "default"), "HorizontalPodAutoscaler")
	h.spec.scaleTargetRef.kind == o.kind
	h.spec.scaleTargetRef.name == o.metadata.name
]

# The fewest replicas a workload runs with: its HPA's minReplicas, else spec.replicas (default 1).
min_replicas(o) := object.get(h, ["spec", "minReplicas"], 1) if {
	some h in hpas_for(o)
}

min_replicas(o) := object.get(o, ["spec", "replicas"], 1) if {
	count(hpas_for(o)) == 0
}

# --- images --------------------------------------------------------------------

has_digest(image) if regex.match(`@sha256:[a-f0-9]{64}$`, image)

# The tag of an image reference ("" when there is none); a registry port is not a tag.
image_tag(image) := tag if {
	reference := split(image, "@")[0]
	parts := split(reference, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	tag := split(last, ":")[1]
}

image_tag(image) := "" if {
	reference := split(image, "@")[0]
	parts := split(reference, "/")
	not contains(parts[count(parts) - 1], ":")
}

# Path of the pod template's metadata (where its labels live).
pod_template_path(o) := ["metadata"] if o.kind == "Pod"

pod_template_path(o) := array.concat(array.slice(pod_spec_path(o), 0, count(pod_spec_path(o)) - 1), ["metadata"]) if {
	o.kind != "Pod"
}

# An inventory in data.inventory's layout built from a list of objects (handy in tests).
inventory_of(objects) := {"namespace": {ns: by_api_version(objects, ns) | some o in objects; ns := namespace_of(o)}}

namespace_of(o) := object.get(o, ["metadata", "namespace"], "default")

by_api_version(objects, ns) := {av: by_kind(objects, ns, av) |
	some o in objects
	namespace_of(o) == ns
	av := o.apiVersion
}

by_kind(objects, ns, av) := {k: {o.metadata.name: o | some o in objects; namespace_of(o) == ns; o.apiVersion == av; o.kind == k} |
	some x in objects
	namespace_of(x) == ns
	x.apiVersion == av
	k := x.kind
}

# --- Argo CD -------------------------------------------------------------------

# Every source of an Argo CD Application (spec.source or spec.sources[i]) with its field path.
argocd_sources contains {"source": obj.spec.source, "path": ["spec", "source"]} if obj.spec.source

argocd_sources contains {"source": source, "path": ["spec", "sources", i]} if {
	some i, source in obj.spec.sources
}
