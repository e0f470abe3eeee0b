# METADATA
# title: Shared helpers for the built-in policies
# description: |
#   The object under review, the pod spec of any workload kind with its field path,
#   every container (regular, init and ephemeral), label selectors, the environment,
#   and the inventory of all objects linted together (Gatekeeper's data.inventory layout:
#   data.inventory.namespace[<ns>][<apiVersion>][<kind>][<name>]).
package gitopsgen.lib

# Policies import what they use by name (import data.gitopsgen.lib.all_containers), not the
# package (import data.gitopsgen.lib, then lib.all_containers): regorus evaluates every rule of
# a package it reaches through an alias, so the alias made each check compute the whole lib.
# For the same reason a reference walks one variable key at a time (x := a[k]; x[j] rather
# than a[k][j]), which regorus evaluates several times faster.
#
# The built-in pack is also run by regorus' compiled mode (generator/lint/compiled.py), which
# evaluates `else` and default functions wrongly: the pack uses neither (two bodies with
# complementary conditions instead, or object.get with a default), and the linter checks that.

import rego.v1

workload_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Rollout"}

# Kinds that keep a number of replicas running (and so can be disrupted or spread).
replicated_kinds := {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"}

# The object under review: Gatekeeper's input.review.object, or input.object. The linter's compiled
# path (generator/lint/compiled.py) gives an object that data.inventory holds once by its place
# there instead, input.at = [namespace (null: cluster-scoped), apiVersion, kind, name], so that it
# is not parsed a second time with each document's input.
obj := input.review.object

obj := input.object if not input.review.object

obj := inventory_object(input.at) if {
	not input.review.object
	not input.object
}

inventory_object(at) := o if {
	at[0] != null
	by_version := data.inventory.namespace[at[0]]
	by_kind := by_version[at[1]]
	by_name := by_kind[at[2]]
	o := by_name[at[3]]
}

inventory_object(at) := o if {
	at[0] == null
	by_kind := data.inventory.cluster[at[1]]
	by_name := by_kind[at[2]]
	o := by_name[at[3]]
}

# Identity of the object, always defined: a missing field must never make a message (and so
# the whole rule) undefined.
kind := object.get(obj, "kind", "")

name := display_name(obj)

display_name(o) := object.get(o, ["metadata", "name"], "(unnamed)")

# A value for a message: a string quoted, as %q does, anything else as %v writes it (%q stops on a number).
quoted(value) := sprintf("%q", [value]) if is_string(value)

quoted(value) := sprintf("%v", [value]) if not is_string(value)

# (As text, as data.inventory files it: a namespace that is not a string is looked up as its text,
# as the interpreter does; the VM would not find it.)
namespace := sprintf("%v", [object.get(obj, ["metadata", "namespace"], "default")])

# The parameters of the rule with id rule_id (policies/config.yaml). The linter evaluates a
# document's rules together, each with its own parameters in input.rule_parameters[<rule id>]
# (names collide: pss-selinux's allowed is not pss-volume-types'); a rule evaluated alone, as
# in its tests, finds them in input.parameters. Each rule reads its own:
# params := parameters("<its id>").
parameters(rule_id) := object.get(input, ["rule_parameters", rule_id], object.get(input, "parameters", {}))

# Environment handling: the linter puts the environment name in input.env.
default prod_environments := ["prod", "production"]

prod_environments := input.prod_environments

is_prod if input.env in prod_environments

# --- pod spec and containers -------------------------------------------------

# Where each workload kind keeps its pod template.
pod_template_paths := {
	"Pod": [],
	"Deployment": ["spec", "template"],
	"StatefulSet": ["spec", "template"],
	"DaemonSet": ["spec", "template"],
	"ReplicaSet": ["spec", "template"],
	"Job": ["spec", "template"],
	"CronJob": ["spec", "jobTemplate", "spec", "template"],
	"Rollout": ["spec", "template"], # Argo Rollouts (a Rollout with workloadRef has no template)
	"ReplicationController": ["spec", "template"],
}

pod_spec_path(o) := array.concat(pod_template_paths[o.kind], ["spec"])

pod_spec_of(o) := spec if {
	spec := object.get(o, pod_spec_path(o), {})
	is_object(spec)
}

spec_path := pod_spec_path(obj)

# (Undefined when the object holds something else than an object there: a malformed object.)
pod_spec := spec if {
	spec := object.get(obj, spec_path, {})
	is_object(spec)
}

pod_template_labels(o) := labels if {
	labels := object.get(o, array.concat(pod_template_paths[o.kind], ["metadata", "labels"]), {})
	is_object(labels)
}

# The pod template labels of the object under review (undefined for a kind without a pod template).
template_labels := pod_template_labels(obj)

# Every container with its field path; field is containers, initContainers or ephemeralContainers.
# (Arrays rather than sets: no container object has to be compared with another.)
# "label" names the container in messages: its name, else where it is (containers[0]).
all_containers := [{"container": c, "path": array.concat(spec_path, [field, i]), "field": field, "label": container_label(c, field, i)} |
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some i, c in items_at(pod_spec, field)
	is_object(c)
]

container_label(c, field, i) := sprintf("%v", [object.get(c, "name", sprintf("%s[%d]", [field, i]))])

# Containers that run the application (probes apply to these only).
app_containers := [entry | some entry in all_containers; entry.field == "containers"]

# Containers that can declare resources (ephemeral containers cannot).
resourced_containers := [entry | some entry in all_containers; entry.field != "ephemeralContainers"]

# A security setting of a container, falling back to the pod securityContext when the container
# leaves it unset or null (as the kubelet does).
security_value(container, key) := value if {
	value := object.get(container, ["securityContext", key], null)
	value != null
}

security_value(container, key) := pod_spec.securityContext[key] if {
	object.get(container, ["securityContext", key], null) == null
}

# The array or object at path (a key or a list of keys) in o, to iterate over. Undefined when o
# is not an object or the value is neither (a malformed object, such as containers: latest):
# regorus' VM and OPA iterate such a value as empty, regorus' interpreter stops with an error.
items_at(o, path) := items if {
	is_object(o)
	items := object.get(o, path, null)
	type_name(items) in {"array", "object"}
}

# The object at path in o, {} when there is none; undefined when something else is there (a malformed object).
object_at(o, path) := value if {
	value := object.get(o, path, {})
	is_object(value)
}

# Whether count(value) is defined: count stops the interpreter on a number, a boolean or null, where OPA
# and the VM read it as undefined.
countable(value) if type_name(value) in {"array", "object", "set", "string"}

has_key(o, key) if {
	_ = o[key]
}

# The Job spec of a Job or CronJob under review: the Job's own, or the one a CronJob stamps out,
# with its field path ({} when missing: a CronJob without a jobTemplate still lacks every Job
# setting, and a finding says so at that path). Undefined for other kinds.
job_spec := {"spec": object.get(obj, "spec", {}), "path": ["spec"]} if kind == "Job"

job_spec := {"spec": object.get(obj, ["spec", "jobTemplate", "spec"], {}), "path": ["spec", "jobTemplate", "spec"]} if kind == "CronJob"

# --- labels and selectors ----------------------------------------------------

# True when a plain label map (a Service selector) selects labels; an empty map selects nothing.
map_matches(selector, labels) if {
	is_object(selector)
	count(selector) > 0
	every key, value in selector {
		labels[key] == value
	}
}

# True when a LabelSelector (matchLabels and matchExpressions) selects labels; an empty one selects everything.
selector_matches(selector, labels) if {
	is_object(selector)
	every key, value in object.get(selector, "matchLabels", {}) {
		labels[key] == value
	}
	every expression in object.get(selector, "matchExpressions", []) {
		expression_matches(expression, labels)
	}
}

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

# (Walked one level at a time: regorus is much slower on a reference with several variable
# keys, such as data.inventory.namespace[ns][_][k][_], than on a loop per level.)
inventory_of_kind(ns, k) := [o |
	some of_kind in data.inventory.namespace[ns]
	some o in of_kind[k]
]

# The NetworkPolicies of the object's namespace that select its pods, computed once per document
# for the rules that ask (coverage, egress, DNS).
selecting_network_policies := [p |
	some p in inventory_of_kind(namespace, "NetworkPolicy")
	selector_matches(object.get(p, ["spec", "podSelector"], {}), template_labels)
]

# Workloads of a namespace that carry a pod template.
workloads_in(ns) := [o |
	some of_kind in data.inventory.namespace[ns]
	some k, objects in of_kind
	k in workload_kinds
	some o in objects
]

# The workloads of the namespace whose pods the object's spec.selector (a Service's plain label
# map) selects, computed once per document for the rules that ask.
selector_workloads := [w |
	selector := object.get(obj, ["spec", "selector"], {})
	some w in workloads_in(namespace)
	map_matches(selector, pod_template_labels(w))
]

# The fewest replicas a workload runs with: the lowest minimum of its autoscalers, else
# spec.replicas (default 1).
# (The autoscalers are looked up once: a function's value is not kept between calls.)
min_replicas(o) := fewest_replicas(o, {a.min_replicas | some a in autoscalers_of(o)})

fewest_replicas(_, minimums) := min(minimums) if count(minimums) > 0

fewest_replicas(o, minimums) := object.get(o, ["spec", "replicas"], 1) if count(minimums) == 0

# Objects that set a workload's replica count, and where each keeps its target: a
# HorizontalPodAutoscaler, and a KEDA ScaledObject (KEDA runs an HPA for it; its target is a
# Deployment unless it names another kind). A VerticalPodAutoscaler targets a workload too, but
# leaves its replicas alone.
replica_scaler_kinds := {"HorizontalPodAutoscaler", "ScaledObject"}

autoscaler_target_paths := {
	"HorizontalPodAutoscaler": ["spec", "scaleTargetRef"],
	"ScaledObject": ["spec", "scaleTargetRef"],
	"VerticalPodAutoscaler": ["spec", "targetRef"],
}

autoscaler_target_defaults := {"ScaledObject": {"apiVersion": "apps/v1", "kind": "Deployment"}}

# The workload an autoscaler targets ({"kind", "name"...}), with the kind's defaults filled in.
autoscaler_target(a) := object.union(
	object.get(autoscaler_target_defaults, a.kind, {}),
	object_at(a, autoscaler_target_paths[a.kind]),
)

# The minimum replicas an autoscaler keeps (KEDA scales to zero unless told otherwise).
autoscaler_min_replicas(a) := object.get(a, ["spec", "minReplicas"], 1) if a.kind == "HorizontalPodAutoscaler"

autoscaler_min_replicas(a) := object.get(a, ["spec", "minReplicaCount"], 0) if a.kind == "ScaledObject"

# The autoscalers that set a workload's replicas: {"kind", "name", "min_replicas"} each.
# (The namespace is walked once for both kinds.)
autoscalers_of(o) := [{"kind": a.kind, "name": display_name(a), "min_replicas": autoscaler_min_replicas(a)} |
	some of_kind in data.inventory.namespace[namespace_of(o)]
	some k in replica_scaler_kinds
	some a in of_kind[k]
	target := autoscaler_target(a)
	object.get(target, "kind", "") == o.kind
	object.get(target, "name", "") == display_name(o)
]

# --- images --------------------------------------------------------------------

has_digest(image) if {
	is_string(image)
	contains(image, "@sha256:")
}

# The tag of an image reference ("" when there is none); a registry port is not a tag.
image_tag(image) := tag if {
	is_string(image)
	reference := split(image, "@")[0]
	parts := split(reference, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	tag := split(last, ":")[1]
}

image_tag(image) := "" if {
	is_string(image)
	reference := split(image, "@")[0]
	parts := split(reference, "/")
	not contains(parts[count(parts) - 1], ":")
}

# Path of the pod template's metadata (where its labels live).
pod_template_path(o) := array.concat(pod_template_paths[o.kind], ["metadata"])

# An inventory in data.inventory's layout built from a list of objects (handy in tests).
inventory_of(objects) := {"namespace": {ns: by_api_version(objects, ns) | some o in objects; ns := namespace_of(o)}}

# (As namespace for the object under review, written out there rather than called: a function call costs the VM ~8k instructions.)
namespace_of(o) := sprintf("%v", [object.get(o, ["metadata", "namespace"], "default")])

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
argocd_sources contains {"source": obj.spec.source, "path": ["spec", "source"]} if is_object(obj.spec.source)

argocd_sources contains {"source": source, "path": ["spec", "sources", i]} if {
	some i, source in items_at(obj, ["spec", "sources"])
	is_object(source)
}

# --- more of the object under review -------------------------------------------

annotations := value if {
	value := object.get(obj, ["metadata", "annotations"], {})
	is_object(value)
}

labels := value if {
	value := object.get(obj, ["metadata", "labels"], {})
	is_object(value)
}

# The pod's volumes with their field paths.
pod_volumes := [{"volume": v, "path": array.concat(spec_path, ["volumes", i]), "label": sprintf("%v", [object.get(v, "name", sprintf("volumes[%d]", [i]))])} |
	some i, v in items_at(pod_spec, "volumes")
	is_object(v)
]

# Whether an object of kind k named n exists in namespace ns of the inventory (any apiVersion).
inventory_has(ns, k, n) if {
	some of_kind in data.inventory.namespace[ns]
	objects := of_kind[k]
	objects[n]
}

# Whether a cluster-scoped object of kind k named n exists in the inventory.
cluster_inventory_has(k, n) if {
	some of_kind in data.inventory.cluster
	objects := of_kind[k]
	objects[n]
}

cluster_inventory_of_kind(k) := [o |
	some of_kind in data.inventory.cluster
	some o in of_kind[k]
]

# --- RBAC ----------------------------------------------------------------------

# The policy rules of a Role or ClusterRole with their field paths.
rbac_rules := [{"rule": r, "path": ["rules", i]} |
	kind in {"Role", "ClusterRole"}
	some i, r in items_at(obj, "rules")
	is_object(r)
]

# Whether a policy rule grants verb on resource (in API group) - wildcards included.
grants(rule, verb, group, resource) if {
	some v in items_at(rule, "verbs")
	v in {verb, "*"}
	some g in items_at(rule, "apiGroups")
	g in {group, "*"}
	some r in items_at(rule, "resources")
	r in {resource, "*"}
}

# --- resources -----------------------------------------------------------------

# Extended resources that are GPUs (or other accelerators scheduled like them).
default_accelerator_resources := ["nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915", "habana.ai/gaudi", "aws.amazon.com/neuron", "google.com/tpu"]

# The accelerator resources of a rule whose parameters are p: its parameter accelerator_resources, else the defaults.
accelerator_resources(p) := object.get(p, "accelerator_resources", default_accelerator_resources)

# The accelerator resources (of the list resources) a container asks for (limits or requests).
accelerators(container, resources) := {r |
	some section in ["limits", "requests"]
	some r, _ in items_at(container, ["resources", section])
	r in resources
}

# Every resource any container of the pod under review asks for (limits or requests), computed
# once per document: a rule about accelerators first asks uses_accelerators, which most pods
# answer with a few look-ups here, before it walks the containers.
requested_resources := {r |
	some entry in all_containers
	some section in ["limits", "requests"]
	some r, _ in items_at(entry.container, ["resources", section])
}

# Whether the pod under review runs on accelerators (of the list resources).
uses_accelerators(resources) if {
	some r in requested_resources
	r in resources
}

# Annotations of the pod template (AppArmor profiles before Kubernetes 1.30 live there).
pod_annotations := value if {
	value := object.get(obj, array.concat(pod_template_path(obj), ["annotations"]), {})
	is_object(value)
}

# The pod securityContext and its path, plus each container's, for rules that check both levels.
security_contexts := array.concat(
	[{"context": object.get(pod_spec, "securityContext", {}), "path": array.concat(spec_path, ["securityContext"]), "label": "the pod"}],
	[{"context": object.get(e.container, "securityContext", {}), "path": array.concat(e.path, ["securityContext"]), "label": sprintf("container %q", [e.label])} |
		some e in all_containers
	],
)

# --- references from a pod to ConfigMaps and Secrets ----------------------------

# Every reference of the pod under review to a ConfigMap or Secret: {"kind", "name", "optional", "path"}
# (env valueFrom, envFrom, volumes, projected volume sources, imagePullSecrets are left out: the
# registry credentials often come from the platform).
object_refs := array.concat(array.concat(env_refs, env_from_refs), array.concat(volume_refs, projected_refs))

env_refs := [ref |
	some entry in all_containers
	some i, variable in items_at(entry.container, "env")
	some key, kind_of in {"configMapKeyRef": "ConfigMap", "secretKeyRef": "Secret"}
	source := variable.valueFrom[key]
	ref := reference(kind_of, source, "name", array.concat(entry.path, ["env", i, "valueFrom", key, "name"]))
]

env_from_refs := [ref |
	some entry in all_containers
	some i, source in items_at(entry.container, "envFrom")
	some key, kind_of in {"configMapRef": "ConfigMap", "secretRef": "Secret"}
	ref := reference(kind_of, source[key], "name", array.concat(entry.path, ["envFrom", i, key, "name"]))
]

volume_refs := [ref |
	some entry in pod_volumes
	some key, kind_of in {"configMap": "ConfigMap", "secret": "Secret"}
	name_field := {"configMap": "name", "secret": "secretName"}[key]
	ref := reference(kind_of, entry.volume[key], name_field, array.concat(entry.path, [key, name_field]))
]

projected_refs := [ref |
	some entry in pod_volumes
	some j, source in entry.volume.projected.sources
	some key, kind_of in {"configMap": "ConfigMap", "secret": "Secret"}
	ref := reference(kind_of, source[key], "name", array.concat(entry.path, ["projected", "sources", j, key, "name"]))
]

reference(kind_of, source, name_field, path) := {
	"kind": kind_of,
	"name": object.get(source, name_field, ""),
	"optional": object.get(source, "optional", false) == true,
	"path": path,
} if is_object(source)

# Names of the Secrets something in namespace ns creates: Secrets, ExternalSecret targets, SealedSecrets.
secrets_created(ns) := {n |
	some s in inventory_of_kind(ns, "Secret")
	n := object.get(s, ["metadata", "name"], "")
} | {n |
	some es in inventory_of_kind(ns, "ExternalSecret")
	n := object.get(es, ["spec", "target", "name"], object.get(es, ["metadata", "name"], ""))
} | {n |
	some s in inventory_of_kind(ns, "SealedSecret")
	n := object.get(s, ["spec", "template", "metadata", "name"], object.get(s, ["metadata", "name"], ""))
}

# Services Flagger creates from each Canary of namespace ns, which are not in the repository:
# the apex <service> and <service>-primary, <service>-canary, where <service> is
# spec.service.name, else the target's name; each exposes spec.service.port under the name
# spec.service.portName (default http).
canary_services(ns) := [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": concat("", [base, suffix]), "namespace": ns}, "spec": {"ports": [port]}} |
	some canary in inventory_of_kind(ns, "Canary")
	startswith(object.get(canary, "apiVersion", ""), "flagger.app/")
	service := object.get(canary, ["spec", "service"], {})
	is_object(service) # null or another type: no Service (and no type error, which only the interpreter raises)
	base := object.get(service, "name", object.get(canary, ["spec", "targetRef", "name"], ""))
	port := {"name": object.get(service, "portName", "http"), "port": object.get(service, "port", 0)}
	some suffix in ["", "-primary", "-canary"]
]

# The Services of namespace ns: those linted, and those Flagger creates from Canaries.
services_in(ns) := array.concat(inventory_of_kind(ns, "Service"), canary_services(ns))

configmaps_created(ns) := {n |
	some c in inventory_of_kind(ns, "ConfigMap")
	n := object.get(c, ["metadata", "name"], "")
}

# Names of the objects of kind k in namespace ns.
names_in(ns, k) := {n |
	some o in inventory_of_kind(ns, k)
	n := object.get(o, ["metadata", "name"], "")
}
