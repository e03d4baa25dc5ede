package templates

import "embed"

//go:embed banks words
var files embed.FS

// LoadBank compiles the built-in bank banks/<name>.txt against slots.
func LoadBank(name string, slots ...string) (*Bank, error) { return BuiltIn.Bank(name, slots...) }

// Words returns the built-in word list words/<name>.txt.
func Words(name string) ([]string, error) { return BuiltIn.Words(name) }
