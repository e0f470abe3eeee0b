# METADATA
# title: Windows pods do not run as HostProcess containers
# description: A Windows HostProcess container has full access to the node; the baseline Pod Security Standard forbids securityContext.windowsOptions.hostProcess on the pod and every container.
# custom:
#   id: pss-host-process
#   severity: error
#   category: pod-security
#   pss: {profile: baseline, control: "HostProcess"}
#   remediation: Remove securityContext.windowsOptions.hostProcess (pod and containers); run node-level tooling outside the application's namespace.
#   remediation_blueprint: The blueprint never sets hostProcess; remove the patch or overlay that adds securityContext.windowsOptions.hostProcess.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.pss_host_process

import rego.v1

import data.gitopsgen.lib.security_contexts

violation contains {"msg": msg, "field": array.concat(sc.path, ["windowsOptions", "hostProcess"])} if {
	some sc in security_contexts
	sc.context.windowsOptions.hostProcess == true
	msg := sprintf("%s runs as a Windows HostProcess container (PSS baseline: HostProcess)", [sc.label])
}
