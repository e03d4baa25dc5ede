package generators

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/schemas"
	"go.yaml.in/yaml/v3"
)

// A recipe file is a Config in YAML: the same keys the manifest's "config" holds, so the config of any
// dataset (as JSON, which YAML reads) is a recipe file that reproduces it.
//
//	recipe: reversal
//	name: reversal
//	seed: 42
//	style: text
//	formats: [parquet, jsonl]
//	augment: {kinds: [word], share: 0.5}
//	options: {facts-per-group: 30}

// FileError locates a problem in a recipe file.
type FileError struct {
	Path string
	Line int
	Key  string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("%s:%d: %s: %v", e.Path, e.Line, e.Key, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }

// Lookup finds a recipe by name; package recipes has the built-in ones.
type Lookup func(name string) (Recipe, error)

// maxRecipeFileBytes bounds a recipe file: a real one is a few hundred bytes.
const maxRecipeFileBytes = 1 << 20

// LoadRecipeFile reads a recipe file, finding its recipe with lookup: a regular file of at most
// 1 MiB. Unknown keys, wrong types and values out of range are errors naming the file, line and key.
// Options the file does not set keep their defaults.
func LoadRecipeFile(path string, lookup Lookup) (*Config, error) {
	data, err := schemas.ReadInput(path, maxRecipeFileBytes)
	if err != nil {
		return nil, fmt.Errorf("recipe file: %w", err)
	}
	return ParseRecipeFile(path, data, lookup)
}

// ParseRecipeFile parses the text of a recipe file; path names it in errors. The text is one YAML
// document, valid UTF-8, with no key given twice in any mapping.
func ParseRecipeFile(path string, data []byte, lookup Lookup) (*Config, error) {
	for i, line := range bytes.Split(data, []byte("\n")) {
		if err := schemas.CheckUTF8(path, i+1, line); err != nil {
			return nil, err
		}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		return nil, fmt.Errorf("%s:%d: a second YAML document: a recipe file is one document", path, more.Line)
	} else if !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: a recipe file is a mapping of keys (recipe, name, seed, style, formats, augment, options)", path)
	}
	if err := uniqueKeys(path, "", doc.Content[0]); err != nil {
		return nil, err
	}
	fail := func(n *yaml.Node, key string, format string, args ...any) error {
		return &FileError{Path: path, Line: n.Line, Key: key, Err: fmt.Errorf(format, args...)}
	}
	cfg := &Config{Seed: 42, Formats: []string{FormatParquet, FormatJSONL}}
	var options, augment *yaml.Node
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		var err error
		switch k.Value {
		case "recipe":
			cfg.Recipe, err = scalarString(v)
		case "name":
			cfg.Name, err = scalarString(v)
		case "style":
			cfg.Style, err = scalarString(v)
		case "seed":
			var n uint64
			if n, err = strconv.ParseUint(v.Value, 10, 64); err == nil && v.Kind == yaml.ScalarNode {
				cfg.Seed = n
			} else {
				err = errors.New("want a positive whole number")
			}
		case "formats", "format":
			cfg.Formats, err = formatsOf(v)
		case "templates":
			cfg.Templates, err = scalarString(v)
		case "templates_sha256":
			cfg.TemplatesSHA256, err = scalarString(v)
		case "avoid_entities":
			cfg.AvoidEntities, err = avoidedOf(v)
		case "license":
			cfg.License, err = scalarString(v)
		case "augment":
			augment = v
		case "options":
			options = v
		default:
			return nil, fail(k, k.Value, "unknown key (use recipe, name, seed, style, formats, templates, avoid_entities, license, augment, options)")
		}
		if err != nil {
			return nil, fail(v, k.Value, "%v", err)
		}
	}
	if cfg.Recipe == "" {
		return nil, fmt.Errorf("%s: no recipe: key", path)
	}
	r, err := lookup(cfg.Recipe)
	if err != nil {
		return nil, fail(top, "recipe", "%v", err)
	}
	if cfg.Name == "" {
		cfg.Name = cfg.Recipe
	}
	if augment != nil {
		if cfg.Augment, err = augmentOf(augment, fail); err != nil {
			return nil, err
		}
	}
	cfg.Options = Options{}
	if options != nil {
		if options.Kind != yaml.MappingNode {
			return nil, fail(options, "options", "want a mapping of option names to values")
		}
		decl := r.Options()
		for i := 0; i+1 < len(options.Content); i += 2 {
			k, v := options.Content[i], options.Content[i+1]
			key := "options." + k.Value
			j := slices.IndexFunc(decl, func(o Option) bool { return o.Name() == k.Value })
			if j < 0 {
				return nil, fail(k, key, "recipe %s has no option %q", cfg.Recipe, k.Value)
			}
			value, err := optionValue(v, decl[j])
			if err != nil {
				return nil, fail(v, key, "%v", err)
			}
			cfg.Options[k.Value] = value
		}
	}
	return cfg, nil
}

// uniqueKeys refuses a key given twice in any mapping of n (under prefix): YAML decoded into nodes
// keeps both, and the second would silently win.
func uniqueKeys(path, prefix string, n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if prev, dup := seen[k.Value]; dup {
				return &FileError{Path: path, Line: k.Line, Key: prefix + k.Value, Err: fmt.Errorf("given twice (first on line %d)", prev)}
			}
			seen[k.Value] = k.Line
			if err := uniqueKeys(path, prefix+k.Value+".", n.Content[i+1]); err != nil {
				return err
			}
		}
		return nil
	}
	for _, c := range n.Content {
		if err := uniqueKeys(path, prefix, c); err != nil {
			return err
		}
	}
	return nil
}

func scalarString(v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", errors.New("want text")
	}
	return v.Value, nil
}

// avoidedOf reads avoid_entities: a list of dataset folders, each a path or, as the manifest writes
// it, {path, manifest_sha256}.
func avoidedOf(v *yaml.Node) ([]AvoidedDataset, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, errors.New("want a list of dataset folders")
	}
	var out []AvoidedDataset
	for _, item := range v.Content {
		var a AvoidedDataset
		switch item.Kind {
		case yaml.ScalarNode:
			a.Path = item.Value
		case yaml.MappingNode:
			for i := 0; i+1 < len(item.Content); i += 2 {
				k, val := item.Content[i], item.Content[i+1]
				var err error
				switch k.Value {
				case "path":
					a.Path, err = scalarString(val)
				case "manifest_sha256":
					a.ManifestSHA256, err = scalarString(val)
				default:
					err = fmt.Errorf("unknown key %q (use path, manifest_sha256)", k.Value)
				}
				if err != nil {
					return nil, err
				}
			}
		default:
			return nil, errors.New("want a dataset folder, or {path, manifest_sha256}")
		}
		if a.Path == "" {
			return nil, errors.New("a dataset folder with no path")
		}
		out = append(out, a)
	}
	return out, nil
}

func formatsOf(v *yaml.Node) ([]string, error) {
	if v.Kind == yaml.ScalarNode {
		return ParseFormats(v.Value)
	}
	var list []string
	if v.Kind != yaml.SequenceNode || v.Decode(&list) != nil || len(list) == 0 {
		return nil, errors.New("want parquet, jsonl, both, or a list of parquet and jsonl")
	}
	for _, f := range list {
		if f != FormatParquet && f != FormatJSONL {
			return nil, fmt.Errorf("unknown format %q", f)
		}
	}
	return list, nil
}

// optionValue reads a scalar as the option's type and checks its bounds.
func optionValue(v *yaml.Node, o Option) (any, error) {
	if v.Kind != yaml.ScalarNode {
		return nil, errors.New("want a single value")
	}
	value, err := o.FromText(v.Value)
	if err != nil {
		return nil, err
	}
	if _, _, err := ResolveOptions([]Option{o}, Options{o.Name(): value}); err != nil {
		return nil, err
	}
	return value, nil
}

func augmentOf(v *yaml.Node, fail func(*yaml.Node, string, string, ...any) error) (*Augment, error) {
	if v.Kind != yaml.MappingNode {
		return nil, fail(v, "augment", "want a mapping (kinds, only, share, segment_max, segment_sep, semantic_mix)")
	}
	a := DefaultAugment()
	var kinds []string
	mix := a.MixString()
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		key := "augment." + k.Value
		var err error
		switch k.Value {
		case "kinds":
			if val.Kind == yaml.ScalarNode {
				kinds = strings.Split(val.Value, ",")
			} else if err = val.Decode(&kinds); err != nil {
				err = errors.New("want a list of augmentations")
			}
		case "only":
			a.Only, err = strconv.ParseBool(val.Value)
		case "share":
			a.Share, err = strconv.ParseFloat(val.Value, 64)
		case "segment_max":
			a.SegmentMax, err = strconv.Atoi(val.Value)
		case "segment_sep":
			a.SegmentSep = val.Value
		case "semantic_mix":
			var w []int
			if val.Kind == yaml.ScalarNode {
				mix = val.Value
			} else if err = val.Decode(&w); err == nil && len(w) == 3 {
				mix = fmt.Sprintf("%d:%d:%d", w[0], w[1], w[2])
			} else {
				err = errors.New("want three weights")
			}
		default:
			return nil, fail(k, key, "unknown key (use kinds, only, share, segment_max, segment_sep, semantic_mix)")
		}
		if err != nil {
			return nil, fail(val, key, "%v", err)
		}
	}
	parsed, err := ParseAugment(strings.Join(kinds, ","), a.Only, a.Share, a.SegmentMax, a.SegmentSep, mix)
	if err != nil {
		return nil, fail(v, "augment", "%v", err)
	}
	return parsed, nil
}

// ExampleRecipeFile writes a commented recipe file for r with every setting at its default.
func ExampleRecipeFile(r Recipe) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# factforge recipe file: %s\n# %s\n# Run: factforge generate -c %s.yaml (flags given on the command line override it)\n\n", r.Name(), r.Paper(), r.Name())
	fmt.Fprintf(&b, "recipe: %s\nname: %s          # the dataset folder, <out>/<name>\nseed: 42                # every random choice derives from it; 0 is refused\n", r.Name(), r.Name())
	style := DefaultStyle(r)
	fmt.Fprintf(&b, "style: %s%s# %s\nformats: [parquet, jsonl]\n", style, strings.Repeat(" ", max(1, 16-len(style))), strings.Join(records.Styles, ", "))
	b.WriteString("# templates: my-templates  # your banks and word lists over the built-in ones\n")
	b.WriteString("# augment:               # add transformed copies of training documents (any recipe)\n")
	b.WriteString("#   kinds: [word, entity, segment, semantic]\n#   only: false\n#   share: 1.0\n#   segment_max: 3\n#   segment_sep: \" [REV] \"\n#   semantic_mix: [1, 1, 1]\n")
	b.WriteString("options:\n")
	for _, o := range r.Options() {
		value := fmt.Sprint(o.Default())
		if s, ok := o.Default().(string); ok {
			value = strconv.Quote(s)
		}
		if f, ok := o.Default().(float64); ok {
			value = strconv.FormatFloat(f, 'f', -1, 64)
			if !strings.Contains(value, ".") {
				value += ".0"
			}
		}
		fmt.Fprintf(&b, "  %s: %s%s# %s\n", o.Name(), value, strings.Repeat(" ", max(1, 22-len(o.Name())-len(value))), o.Usage())
	}
	return b.String()
}
