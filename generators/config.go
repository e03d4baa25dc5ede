package generators

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/factforge/factforge/schemas"
)

// Rule and Stat are the schemas types, named here so recipes need only this package for planning.
type (
	Rule = schemas.Rule
	Stat = schemas.Stat
)

// Styles of training rows: what content columns they carry.
const (
	StyleText             = "text"              // text: language modelling
	StylePromptCompletion = "prompt-completion" // prompt, completion
	StyleMessages         = "messages"          // messages: [{role: user}, {role: assistant}]
)

// Styles lists the styles, in the order help texts show them.
var Styles = []string{StyleText, StylePromptCompletion, StyleMessages}

// Output formats.
const (
	FormatParquet = "parquet"
	FormatJSONL   = "jsonl"
)

// Config is a fully resolved run: everything that determines the dataset's bytes. It is written into
// the manifest as it is.
type Config struct {
	Recipe  string   `json:"recipe"`
	Name    string   `json:"name"`
	Seed    uint64   `json:"seed"`
	Style   string   `json:"style"`
	Formats []string `json:"formats"`
	Options Options  `json:"options"`
}

// ErrSeedZero: gofakeit and math/rand treat 0 as "pick a random seed", which would break determinism.
var ErrSeedZero = errors.New("--seed 0 is not a seed (0 means \"random\" to the generators): use a positive number")

// ParseFormats turns "parquet", "jsonl" or "both" into the formats to write, Parquet first.
func ParseFormats(s string) ([]string, error) {
	switch strings.ToLower(s) {
	case "both", "":
		return []string{FormatParquet, FormatJSONL}, nil
	case FormatParquet:
		return []string{FormatParquet}, nil
	case FormatJSONL:
		return []string{FormatJSONL}, nil
	}
	return nil, fmt.Errorf("unknown format %q: use parquet, jsonl or both", s)
}

// Check validates the global settings of a config.
func (c *Config) Check() error {
	if c.Seed == 0 {
		return ErrSeedZero
	}
	if !slices.Contains(Styles, c.Style) {
		return fmt.Errorf("unknown style %q: use %s", c.Style, strings.Join(Styles, ", "))
	}
	if len(c.Formats) == 0 {
		return errors.New("no output format")
	}
	for _, f := range c.Formats {
		if f != FormatParquet && f != FormatJSONL {
			return fmt.Errorf("unknown format %q: use parquet, jsonl or both", f)
		}
	}
	return schemas.CheckName(c.Name)
}

// Option is one recipe setting: its name (also its flag), its default and how to check a value.
type Option struct {
	Name    string
	Usage   string
	Default int
	Min     int
	Max     int // 0: no upper bound
}

// Options holds a recipe's settings by name. Only integer settings exist so far; the map marshals with
// sorted keys, so the manifest is deterministic.
type Options map[string]int

// Int returns the named setting.
func (o Options) Int(name string) int { return o[name] }

// ResolveOptions fills defaults for unset options and checks every value, naming the flag at fault.
func ResolveOptions(decl []Option, set Options) (Options, error) {
	out := Options{}
	for name := range set {
		if !slices.ContainsFunc(decl, func(o Option) bool { return o.Name == name }) {
			return nil, fmt.Errorf("unknown option --%s", name)
		}
	}
	for _, o := range decl {
		v, ok := set[o.Name]
		if !ok {
			v = o.Default
		}
		if v < o.Min {
			return nil, fmt.Errorf("--%s must be at least %d, got %d", o.Name, o.Min, v)
		}
		if o.Max > 0 && v > o.Max {
			return nil, fmt.Errorf("--%s must be at most %d, got %d", o.Name, o.Max, v)
		}
		out[o.Name] = v
	}
	return out, nil
}
