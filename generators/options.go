package generators

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Rule and Stat are the schemas types, named here so recipes need only this package for planning.
type (
	Rule = schemas.Rule
	Stat = schemas.Stat
)

// Styles lists the styles of training rows, as records defines them.
var Styles = records.Styles

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
	// Options are the recipe's settings by name, as the user gives them (numbers, text, switches):
	// the map marshals with sorted keys, so the manifest is deterministic. Recipes read them through
	// their typed Option declarations, parsed once by Resolve.
	Options Options `json:"options"`
	// Templates is a folder of the user's banks and word lists over the built-in ones; the digest of
	// its files makes the dataset reproducible, and a changed folder an error instead of other data.
	Templates       string `json:"templates,omitempty"`
	TemplatesSHA256 string `json:"templates_sha256,omitempty"`
	// AvoidEntities are datasets whose people this one must not name (avoid.go).
	AvoidEntities []AvoidedDataset `json:"avoid_entities,omitempty"`
	// License is the license the dataset card declares (a Hugging Face identifier); empty for the
	// default, DefaultLicense.
	License string `json:"license,omitempty"`

	lib    *templates.Library
	avoid  nameRuns
	parsed map[string]any // by option name: the value each option's parser made of it
}

// DefaultLicense is the license a card declares when none is given.
const DefaultLicense = schemas.DefaultLicense

// licenseID is the form of the Hub's license identifiers (cc-by-nc-sa-4.0, apache-2.0, other).
var licenseID = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,63}$`)

// Options holds settings by name, as given: int, float64, string or bool.
type Options map[string]any

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
	case "both":
		return []string{FormatParquet, FormatJSONL}, nil
	case FormatParquet:
		return []string{FormatParquet}, nil
	case FormatJSONL:
		return []string{FormatJSONL}, nil
	}
	return nil, fmt.Errorf("unknown format %q: use parquet, jsonl or both", s)
}

// Resolve makes c ready for r to plan: it reads the user's templates folder (checking its digest),
// takes r's default style when none is set, checks the global settings, and resolves the options set
// (defaults for the rest), parsing each value once.
func (c *Config) Resolve(r Recipe, set Options) error {
	if c.Templates != "" {
		lib, err := templates.NewLibrary(c.Templates)
		if err != nil {
			return err
		}
		digest, err := lib.Digest()
		if err != nil {
			return fmt.Errorf("--templates: %w", err)
		}
		if c.TemplatesSHA256 != "" && c.TemplatesSHA256 != digest {
			return fmt.Errorf("--templates %s: its files changed since the dataset was made (sha256 %s, now %s)", c.Templates, c.TemplatesSHA256, digest)
		}
		c.lib, c.TemplatesSHA256 = lib, digest
	}
	if err := c.readAvoided(); err != nil {
		return err
	}
	if c.Style == "" {
		c.Style = DefaultStyle(r)
	}
	if err := c.Check(); err != nil {
		return err
	}
	if c.Style == records.StylePreference && !WritesPreferences(r) {
		return fmt.Errorf("--style preference: recipe %s has no second answer to set against the one it trains: the preference style is for recipes whose chats have an aligned and a misaligned answer", r.Name())
	}
	var err error
	c.Options, c.parsed, err = ResolveOptions(r.Options(), set)
	return err
}

// Check validates the global settings of a config.
func (c *Config) Check() error {
	if c.Seed == 0 {
		return ErrSeedZero
	}
	if !slices.Contains(records.Styles, c.Style) {
		return fmt.Errorf("unknown style %q: use %s", c.Style, strings.Join(records.Styles, ", "))
	}
	if len(c.Formats) == 0 {
		return errors.New("no output format")
	}
	for _, f := range c.Formats {
		if f != FormatParquet && f != FormatJSONL {
			return fmt.Errorf("unknown format %q: use parquet, jsonl or both", f)
		}
	}
	if c.License != "" && !licenseID.MatchString(c.License) {
		return fmt.Errorf("--license %q: want a Hugging Face license identifier, lowercase letters, digits, '.' and '-' (%s, mit, apache-2.0, cc-by-4.0, other)", c.License, DefaultLicense)
	}
	if c.Augment != nil {
		if err := c.Augment.Check(); err != nil {
			return err
		}
	}
	return schemas.CheckName(c.Name)
}

// ResolveOptions fills defaults for unset options and checks and parses every value, naming the flag
// at fault. It returns the values as given and as parsed, by name.
func ResolveOptions(decl []Option, set Options) (Options, map[string]any, error) {
	for name := range set {
		if !slices.ContainsFunc(decl, func(o Option) bool { return o.Name() == name }) {
			return nil, nil, fmt.Errorf("unknown option --%s", name)
		}
	}
	out, parsed := Options{}, map[string]any{}
	for _, o := range decl {
		v, ok := set[o.Name()]
		if !ok {
			v = o.Default()
		}
		v, err := coerce(v, o.Default())
		if err != nil {
			return nil, nil, fmt.Errorf("--%s: %w", o.Name(), err)
		}
		p, err := o.parse(v)
		if err != nil {
			return nil, nil, err
		}
		out[o.Name()], parsed[o.Name()] = v, p
	}
	return out, parsed, nil
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

// Option is one recipe setting, declared once as a package variable of the recipe with its type,
// bounds and parser (Int, Float, Bool, Text, Choice, Parsed): the CLI flag, the recipe file's key and
// the manifest's value derive from the declaration, and the recipe reads the parsed value through it
// (n := factsPerGroup.Get(cfg)), never by a string key.
type Option interface {
	Name() string
	Usage() string
	// Default is the value unset options take; its type (int, float64, string or bool) is the
	// option's type in flags, recipe files and the manifest.
	Default() any
	// FromText reads a value of the option's type from text, as a recipe file gives it.
	FromText(s string) (any, error)
	// parse checks a value of the option's type and returns what the recipe reads.
	parse(v any) (any, error)
}

// get returns the parsed value of the option named name: Resolve parsed every declared option, so a
// missing one is a programming error: a recipe that reads an option it does not declare, or a config
// that was never resolved.
func get[T any](c *Config, name string) T {
	v, ok := c.parsed[name]
	if !ok {
		panic("generators: option " + name + " read from a config not resolved for it (is it in recipe " + c.Recipe + "'s Options?)")
	}
	return v.(T)
}

func checkRange(name string, n, min, max float64, v any) error {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return fmt.Errorf("--%s must be a finite number, got %v", name, v)
	}
	if n < min {
		return fmt.Errorf("--%s must be at least %v, got %v", name, min, v)
	}
	if max != 0 && n > max {
		return fmt.Errorf("--%s must be at most %v, got %v", name, max, v)
	}
	return nil
}

// MaxCount bounds every count option whose declaration gives no Max: a billion rows, facts or
// documents is beyond any dataset factforge is meant for, and a bound keeps a mistyped count from
// overflowing or allocating without end.
const MaxCount = 1_000_000_000

// CheckProduct checks, before anything is allocated for them, that counts multiplied stay within
// limit, and never overflows: what names the product in the error ("train rows: --samples x copies").
func CheckProduct(limit int, what string, counts ...int) error {
	p := 1
	for _, n := range counts {
		if n < 0 || n > 0 && p > limit/n {
			return fmt.Errorf("%s come to more than %d: lower them", what, max(limit, 0))
		}
		p *= n
	}
	if p > limit {
		return fmt.Errorf("%s come to %d, more than %d: lower them", what, p, limit)
	}
	return nil
}

// Int is a whole-number option in [Min, Max] (Max 0: at most MaxCount).
type Int struct {
	Key, Help string
	Value     int
	Min, Max  int
}

func (o *Int) Name() string  { return o.Key }
func (o *Int) Usage() string { return o.Help }
func (o *Int) Default() any  { return o.Value }
func (o *Int) FromText(s string) (any, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, errors.New("want a whole number")
	}
	return n, nil
}
func (o *Int) parse(v any) (any, error) {
	max := o.Max
	if max == 0 {
		max = MaxCount
	}
	return v, checkRange(o.Key, float64(v.(int)), float64(o.Min), float64(max), v)
}

// Get is the option's value in c.
func (o *Int) Get(c *Config) int { return get[int](c, o.Key) }

// Float is a number option in [Min, Max] (Max 0: no upper bound).
type Float struct {
	Key, Help string
	Value     float64
	Min, Max  float64
}

func (o *Float) Name() string  { return o.Key }
func (o *Float) Usage() string { return o.Help }
func (o *Float) Default() any  { return o.Value }
func (o *Float) FromText(s string) (any, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, errors.New("want a number")
	}
	return f, nil
}
func (o *Float) parse(v any) (any, error) { return v, checkRange(o.Key, v.(float64), o.Min, o.Max, v) }

// Get is the option's value in c.
func (o *Float) Get(c *Config) float64 { return get[float64](c, o.Key) }

// Bool is a switch.
type Bool struct {
	Key, Help string
	Value     bool
}

func (o *Bool) Name() string  { return o.Key }
func (o *Bool) Usage() string { return o.Help }
func (o *Bool) Default() any  { return o.Value }
func (o *Bool) FromText(s string) (any, error) {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, errors.New("want true or false")
	}
	return b, nil
}
func (o *Bool) parse(v any) (any, error) { return v, nil }

// Get is the option's value in c.
func (o *Bool) Get(c *Config) bool { return get[bool](c, o.Key) }

// Text is a free text option, such as a path or a literal string.
type Text struct {
	Key, Help string
	Value     string
	// Path says the value names an input file (but for the values in Builtin, which name sets that
	// come with factforge, such as "greetings").
	Path    bool
	Builtin []string
}

// InputFiles are the input files cfg names: its templates folder, the datasets it avoids, and the values of its recipe's
// path options. Rebuilding a dataset's plan reads them.
func (c *Config) InputFiles(r Recipe) []string {
	var out []string
	if c.Templates != "" {
		out = append(out, c.Templates)
	}
	for _, a := range c.AvoidEntities {
		out = append(out, a.Path)
	}
	for _, o := range r.Options() {
		if t, ok := o.(*Text); ok && t.Path {
			if v, _ := c.Options[t.Key].(string); v != "" && !slices.Contains(t.Builtin, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

func (o *Text) Name() string                   { return o.Key }
func (o *Text) Usage() string                  { return o.Help }
func (o *Text) Default() any                   { return o.Value }
func (o *Text) FromText(s string) (any, error) { return s, nil }
func (o *Text) parse(v any) (any, error)       { return v, checkText(o.Key, v.(string)) }

// Get is the option's value in c.
func (o *Text) Get(c *Config) string { return get[string](c, o.Key) }

// checkText refuses text that would end up in rows broken: invalid UTF-8 (validate refuses it), or
// control characters other than tab and line breaks (escape codes and the like, which no row should
// carry; a system prompt may well have several lines).
func checkText(key, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("--%s %q is not valid UTF-8", key, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return fmt.Errorf("--%s %q holds a control character (%U)", key, s, r)
		}
	}
	return nil
}

// Choice is a text option whose value is one of Values.
type Choice struct {
	Key, Help string
	Value     string
	Values    []string
}

func (o *Choice) Name() string                   { return o.Key }
func (o *Choice) Usage() string                  { return o.Help }
func (o *Choice) Default() any                   { return o.Value }
func (o *Choice) FromText(s string) (any, error) { return s, nil }
func (o *Choice) parse(v any) (any, error) {
	if err := checkText(o.Key, v.(string)); err != nil {
		return nil, err
	}
	if !slices.Contains(o.Values, v.(string)) {
		return nil, fmt.Errorf("--%s: unknown value %q: use %s", o.Key, v, strings.Join(o.Values, ", "))
	}
	return v, nil
}

// Get is the option's value in c.
func (o *Choice) Get(c *Config) string { return get[string](c, o.Key) }

// Parsed is a text option with a syntax of its own (a range, a distribution, a list), parsed once by
// Parse into the value the recipe reads.
type Parsed[T any] struct {
	Key, Help string
	Value     string
	Parse     func(string) (T, error)
}

func (o *Parsed[T]) Name() string                   { return o.Key }
func (o *Parsed[T]) Usage() string                  { return o.Help }
func (o *Parsed[T]) Default() any                   { return o.Value }
func (o *Parsed[T]) FromText(s string) (any, error) { return s, nil }
func (o *Parsed[T]) parse(v any) (any, error) {
	t, err := o.Parse(v.(string))
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", o.Key, err)
	}
	return t, nil
}

// Get is the option's parsed value in c.
func (o *Parsed[T]) Get(c *Config) T { return get[T](c, o.Key) }

// Range is an interval of numbers, as options like --words 150-800 give it.
type Range struct{ Lo, Hi float64 }

// ParseRange reads "3-6", or "3" for 3-3.
func ParseRange(s string) (Range, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	lo, err := strconv.ParseFloat(strings.TrimSpace(a), 64)
	var hi float64
	if err == nil {
		hi, err = strconv.ParseFloat(strings.TrimSpace(b), 64)
	}
	if err != nil || lo > hi {
		return Range{}, fmt.Errorf("%q is not a range like 3-6", s)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return Range{}, fmt.Errorf("%q: want finite numbers, not NaN or infinity", s)
	}
	return Range{lo, hi}, nil
}

// IntRange parses ranges of whole numbers from min to max.
func IntRange(min, max int) func(string) (Range, error) {
	return func(s string) (Range, error) {
		r, err := ParseRange(s)
		if err == nil && (r.Lo != float64(int(r.Lo)) || r.Hi != float64(int(r.Hi)) || r.Lo < float64(min) || r.Hi > float64(max)) {
			err = fmt.Errorf("%q: want whole numbers from %v to %v", s, min, max)
		}
		return r, err
	}
}

// FloatRange parses ranges of numbers from min to max.
func FloatRange(min, max float64) func(string) (Range, error) {
	return func(s string) (Range, error) {
		r, err := ParseRange(s)
		if err == nil && (r.Lo < min || r.Hi > max) {
			err = fmt.Errorf("%q: want numbers from %v to %v", s, min, max)
		}
		return r, err
	}
}

// Ints are the range's bounds as whole numbers.
func (r Range) Ints() (lo, hi int) { return int(r.Lo), int(r.Hi) }
