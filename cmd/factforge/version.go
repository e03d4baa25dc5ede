package main

import (
	"runtime/debug"

	"github.com/factforge/factforge/generators"
)

// commit is set at build time (make build: -ldflags "-X main.commit=..."); otherwise the build's VCS
// information is used when Go recorded it.
var commit string

// versionString is the version and, when known, the commit.
func versionString() string {
	c := commit
	if info, ok := debug.ReadBuildInfo(); ok && c == "" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				c = s.Value[:12]
			}
		}
	}
	if c == "" {
		return generators.Version
	}
	return generators.Version + " (commit " + c + ")"
}
