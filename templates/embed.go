package templates

import "embed"

// files are the built-in banks and word lists; Library reads them (BuiltIn alone, or under a user's).
//
//go:embed banks words
var files embed.FS
