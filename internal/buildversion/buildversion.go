// Package buildversion names the version of polc and polrun: the one
// linked in (-ldflags "-X main.version=..."), else the module version Go
// records in the binary (`go install github.com/polc-dev/polc/cmd/polc@v1.2.3`
// records v1.2.3), else "dev". The version goes into bundles' manifests
// and SARIF, so a released binary must not call itself dev.
package buildversion

import "runtime/debug"

// Resolve returns linked unless it is "dev" or empty, then the main
// module's version from the build information, then "dev".
func Resolve(linked string) string {
	info, _ := debug.ReadBuildInfo()
	return resolve(linked, info)
}

func resolve(linked string, info *debug.BuildInfo) string {
	if linked != "" && linked != "dev" {
		return linked
	}
	// A build inside the repository records "(devel)"; go install of a
	// tagged version records the tag.
	if info != nil && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
