package compiler

// checkPathInContainer checks uprobes' resolvePathInContainer, as
// Tetragon does: the uprobe's path is in the root filesystem of each
// container its podSelector selects, and it is attached there, per
// container, as containers come and go. That needs Kubernetes pod and
// container metadata, which polrun does not have: the policy builds, and
// polrun refuses to load it, naming the field (the manifest lists it with
// the pod selectors), as it does any policy restricted to pods. What
// Tetragon refuses is refused here: no podSelector, a hostSelector,
// ignore.digestVerificationFailure, and other hooks in the same policy
// (Tetragon attaches such a uprobe on its own); a relative path is refused
// for every uprobe.
func (c *checker) checkPathInContainer() {
	spec := &c.pol.Spec
	for _, u := range spec.UProbes {
		if !u.ResolvePathInContainer {
			continue
		}
		n := u.Field("resolvePathInContainer")
		if spec.PodSelector == nil {
			c.errorf(n, "bad-option", "add a podSelector naming the pods whose containers hold the binary",
				"resolvePathInContainer needs a podSelector: the path is looked up in the containers of the pods it selects")
		}
		if spec.HostSelector != nil {
			c.errorf(fieldOr(spec.At, "hostSelector"), "bad-option", "remove hostSelector",
				"a policy with resolvePathInContainer applies to containers only: Tetragon refuses hostSelector with it")
		}
		if u.Ignore != nil && u.Ignore.DigestVerificationFailure {
			c.errorf(fieldOr(u.At, "ignore"), "bad-option", "remove ignore.digestVerificationFailure",
				"ignore.digestVerificationFailure is not supported with resolvePathInContainer (as in Tetragon): a container's binary must match binaryDigests")
		}
		if others := len(spec.KProbes) + len(spec.Tracepoints) + len(spec.LSMHooks) + len(spec.UProbes) + len(spec.USDTs) - 1; others > 0 {
			c.errorf(n, "bad-option", "put the other hooks in a policy of their own",
				"a uprobe with resolvePathInContainer must be the policy's only hook (Tetragon attaches it per container, on its own); this policy has %d more", others)
		}
		c.warnf(n, "k8s-selector", "give the path as the host sees it (such as the image's overlay path) and remove resolvePathInContainer and the pod selectors, where it should apply to every process",
			"resolvePathInContainer looks the path up in each selected container's root, which needs Kubernetes pod and container metadata: polrun refuses to load it")
	}
}
