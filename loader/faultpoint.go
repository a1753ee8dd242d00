//go:build !faultinject

package loader

// faultPoint marks a step after which a polrun killed leaves work the
// journal must finish or roll back. In a build with -tags faultinject it
// can kill the process there (faultinject.go); here it does nothing.
func faultPoint(string) {}
