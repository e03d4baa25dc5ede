package main

import (
	"runtime/debug"

	"github.com/factforge/factforge/generators"
)

// versionString is the version and, when the build recorded it, the commit.
func versionString() string {
	v := generators.Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (commit " + s.Value[:12] + ")"
			}
		}
	}
	return v
}
