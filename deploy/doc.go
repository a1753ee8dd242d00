// Package deploy holds example Kubernetes manifests that run polrun serve
// on every node (see README.md); it has no code, only the test that checks
// the manifests.
package deploy
