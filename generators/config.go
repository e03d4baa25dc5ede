package generators

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
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
	Augment *Augment `json:"augment,omitempty"`
	Options Options  `json:"options"`
	// Templates is a folder of the user's banks and word lists over the built-in ones; the digest of
	// its files makes the dataset reproducible, and a changed folder an error instead of other data.
	Templates       string `json:"templates,omitempty"`
	TemplatesSHA256 string `json:"templates_sha256,omitempty"`

	lib *templates.Library
}

// Library is where the run's banks and word lists come from.
func (c *Config) Library() *templates.Library {
	if c.lib == nil {
		return templates.BuiltIn
	}
	return c.lib
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
	if c.Augment != nil {
		if err := c.Augment.Check(); err != nil {
			return err
		}
	}
	return schemas.CheckName(c.Name)
}

// Option is one recipe setting: its name (also its flag), its default, whose type (int, float64,
// string or bool) is the option's type, and its bounds.
type Option struct {
	Name    string
	Usage   string
	Default any
	Min     float64 // for numbers
	Max     float64 // for numbers; 0: no upper bound
	// Check, when set, validates a value beyond its type and bounds; its error names no flag.
	Check func(any) error
}

// Options holds settings by name. The map marshals with sorted keys, so the manifest is deterministic.
type Options map[string]any

// Int returns the named integer setting.
func (o Options) Int(name string) int { return o[name].(int) }

// Float returns the named number setting.
func (o Options) Float(name string) float64 { return o[name].(float64) }

// String returns the named text setting.
func (o Options) String(name string) string { return o[name].(string) }

// Bool returns the named switch.
func (o Options) Bool(name string) bool { return o[name].(bool) }

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
		v, err := coerce(v, o.Default)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", o.Name, err)
		}
		if err := o.checkBounds(v); err != nil {
			return nil, err
		}
		if o.Check != nil {
			if err := o.Check(v); err != nil {
				return nil, fmt.Errorf("--%s: %w", o.Name, err)
			}
		}
		out[o.Name] = v
	}
	return out, nil
}

// coerce converts v to the type of like; numbers read back from JSON arrive as float64.
func coerce(v, like any) (any, error) {
	switch like.(type) {
	case int:
		switch n := v.(type) {
		case int:
			return n, nil
		case float64:
			if n == float64(int(n)) {
				return int(n), nil
			}
		}
		return nil, fmt.Errorf("want a whole number, got %v", v)
	case float64:
		switch n := v.(type) {
		case float64:
			return n, nil
		case int:
			return float64(n), nil
		}
		return nil, fmt.Errorf("want a number, got %v", v)
	case string:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, fmt.Errorf("want text, got %v", v)
	case bool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("want true or false, got %v", v)
	}
	return nil, fmt.Errorf("option has a default of unsupported type %T", like)
}

func (o Option) checkBounds(v any) error {
	var n float64
	switch x := v.(type) {
	case int:
		n = float64(x)
	case float64:
		n = x
	default:
		return nil
	}
	if n < o.Min {
		return fmt.Errorf("--%s must be at least %v, got %v", o.Name, o.Min, v)
	}
	if o.Max != 0 && n > o.Max {
		return fmt.Errorf("--%s must be at most %v, got %v", o.Name, o.Max, v)
	}
	return nil
}
