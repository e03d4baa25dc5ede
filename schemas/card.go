package schemas

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DefaultLicense is the license a card declares when the config names none: the rows come from
// factforge's templates and a seed, and a researcher should be free to share them.
const DefaultLicense = "cc0-1.0"

// CardInfo is what a recipe says about its dataset in the card, beyond what the manifest records.
type CardInfo struct {
	Title   string
	Summary string // a paragraph: what the data is for
	Paper   string // the anchor paper
	Command string // the command line that reproduces the dataset
	Notes   []string
	Audit   []string // the audit's headline, when the dataset was audited as it was made
}

// Hugging Face dataset-card YAML: `configs` tells datasets.load_dataset(path) where each config's
// splits are; `dataset_info` gives their features and sizes.
type cardHeader struct {
	License        string       `yaml:"license,omitempty"`
	Language       []string     `yaml:"language,omitempty"`
	TaskCategories []string     `yaml:"task_categories,omitempty"`
	SizeCategories []string     `yaml:"size_categories,omitempty"`
	Configs        []cardConfig `yaml:"configs"`
	DatasetInfo    []cardInfo   `yaml:"dataset_info"`
	Tags           []string     `yaml:"tags"`
}

type cardConfig struct {
	Name      string         `yaml:"config_name"`
	DataFiles []cardDataFile `yaml:"data_files"`
	Default   bool           `yaml:"default,omitempty"`
}

type cardDataFile struct {
	Split string `yaml:"split"`
	Path  string `yaml:"path"`
}

type cardInfo struct {
	Name     string        `yaml:"config_name"`
	Features []cardFeature `yaml:"features"`
	Splits   []cardSplit   `yaml:"splits"`
}

type cardFeature struct {
	Name     string        `yaml:"name"`
	Dtype    string        `yaml:"dtype,omitempty"`
	Sequence string        `yaml:"sequence,omitempty"`
	List     []cardFeature `yaml:"list,omitempty"`
}

type cardSplit struct {
	Name        string `yaml:"name"`
	NumExamples int64  `yaml:"num_examples"`
}

func features(s Schema) []cardFeature {
	var out []cardFeature
	for _, c := range s.Columns {
		switch c.Type {
		case Messages:
			out = append(out, cardFeature{Name: c.Name, List: []cardFeature{{Name: "role", Dtype: "string"}, {Name: "content", Dtype: "string"}}})
		case ReasoningMessages:
			out = append(out, cardFeature{Name: c.Name, List: []cardFeature{{Name: "role", Dtype: "string"}, {Name: "content", Dtype: "string"}, {Name: "reasoning_content", Dtype: "string"}}})
		case Spans:
			out = append(out, cardFeature{Name: c.Name, List: []cardFeature{{Name: "start", Dtype: "int64"}, {Name: "end", Dtype: "int64"}}})
		case Strings:
			out = append(out, cardFeature{Name: c.Name, Sequence: "string"})
		default:
			out = append(out, cardFeature{Name: c.Name, Dtype: string(c.Type)})
		}
	}
	return out
}

// Card renders the dataset card (README.md) for a manifest.
func Card(m *Manifest, info CardInfo) ([]byte, error) {
	var b bytes.Buffer
	if err := writeFrontMatter(&b, m); err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", info.Title, info.Summary)
	fmt.Fprintf(&b, "- Anchor paper: %s\n", info.Paper)
	b.WriteString(provenanceLine(m))
	fmt.Fprintf(&b, "- Reproduce byte for byte: `%s`\n\n", info.Command)
	for _, n := range info.Notes {
		fmt.Fprintf(&b, "%s\n\n", n)
	}
	b.WriteString("## Configs and splits\n\n| config | split | rows | columns |\n|---|---|---|---|\n")
	for _, c := range m.Configs {
		names := make([]string, len(c.Columns))
		for i, col := range c.Columns {
			names[i] = col.Name
		}
		for _, sp := range c.Splits {
			fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", c.Name, sp.Name, sp.Rows, strings.Join(names, ", "))
		}
	}
	if len(m.Stats) > 0 {
		b.WriteString("\n## Figures\n\n")
		for _, s := range m.Stats {
			fmt.Fprintf(&b, "- %s: %d (%s)\n", s.Name, s.Value, s.Doc)
		}
	}
	if len(info.Audit) > 0 {
		b.WriteString("\n## Audit (`factforge audit`, when the dataset was made; every figure in audit.json)\n\n")
		for _, line := range info.Audit {
			fmt.Fprintf(&b, "- %s\n", line)
		}
	}
	b.WriteString("\n## Invariants (checked by `factforge validate`)\n\n")
	for _, r := range m.Rules {
		fmt.Fprintf(&b, "- %s\n", r.Doc)
	}
	if len(m.Configs) == 0 {
		return b.Bytes(), nil
	}
	first := m.Configs[0]
	fmt.Fprintf(&b, "\n## Loading\n\n```python\nfrom datasets import load_dataset\nds = load_dataset(\"path/to/this/folder\", \"%s\")\n```\n\n", first.Name)
	if len(first.Splits) > 0 && len(first.Splits[0].Files) > 0 {
		f := first.Splits[0].Files[0]
		reader := "read_json(path, lines=True)"
		if f.Format == "parquet" {
			reader = "read_parquet(path)"
		}
		fmt.Fprintf(&b, "```python\nimport pandas as pd\npath = \"%s\"\ndf = pd.%s\n```\n\n", f.Path, reader)
		fmt.Fprintf(&b, "```sql\nSELECT * FROM '%s' LIMIT 5;  -- DuckDB\n```\n", f.Path)
	}
	return b.Bytes(), nil
}

// shardPattern turns data/c/train-00000-of-00001.parquet into data/c/train-*.parquet, so a card also
// covers a dataset written in several shards.
func shardPattern(path string) string {
	dir, file := "", path
	if i := strings.LastIndex(path, "/"); i >= 0 {
		dir, file = path[:i+1], path[i+1:]
	}
	if j := strings.Index(file, "-00"); j >= 0 {
		if k := strings.LastIndex(file, "."); k > j {
			return dir + file[:j] + "-*" + file[k:]
		}
	}
	return path
}

// writeFrontMatter writes the card's YAML front matter, between its "---" lines: the configs and their
// files for the Hugging Face loader, features, split sizes and tags, all from the manifest.
func writeFrontMatter(b *bytes.Buffer, m *Manifest) error {
	var h cardHeader
	h.Tags = []string{"synthetic", "factforge", m.Recipe}
	// The metadata the Hub expects, for manifests that name their paper (those made since it was
	// added: an older card is checked against the front matter it was made with).
	if m.Paper != "" {
		var cfg struct {
			License string `json:"license"`
		}
		_ = json.Unmarshal(m.Config, &cfg)
		h.License = cmp.Or(cfg.License, DefaultLicense)
		h.Language, h.TaskCategories = []string{"en"}, []string{"text-generation"}
		var rows int64
		for _, c := range m.Configs {
			for _, sp := range c.Splits {
				rows += sp.Rows
			}
		}
		h.SizeCategories = []string{sizeCategory(rows)}
		// The Hub links a dataset to a paper by an arxiv:<id> tag.
		for _, id := range arxivID.FindAllStringSubmatch(m.Paper, -1) {
			h.Tags = append(h.Tags, "arxiv:"+id[1])
		}
	}
	for i, c := range m.Configs {
		cc := cardConfig{Name: c.Name, Default: i == 0}
		ci := cardInfo{Name: c.Name, Features: features(c.Schema())}
		for _, sp := range c.Splits {
			if len(sp.Files) > 0 {
				// Point at the first format listed (Parquet when both were written), by shard pattern.
				f := sp.Files[0]
				cc.DataFiles = append(cc.DataFiles, cardDataFile{Split: sp.Name, Path: shardPattern(f.Path)})
			}
			ci.Splits = append(ci.Splits, cardSplit{Name: sp.Name, NumExamples: sp.Rows})
		}
		h.Configs = append(h.Configs, cc)
		h.DatasetInfo = append(h.DatasetInfo, ci)
	}
	b.WriteString("---\n")
	enc := yaml.NewEncoder(b)
	enc.SetIndent(2)
	if err := enc.Encode(h); err != nil {
		return err
	}
	enc.Close()
	b.WriteString("---\n\n")
	return nil
}

// provenanceLine is the card's line naming the version, recipe and seed that made the dataset.
func provenanceLine(m *Manifest) string {
	return fmt.Sprintf("- Made by factforge %s, recipe `%s`, seed %d, with no language model: every row comes from templates, word banks and the seed.\n", m.Version, m.Recipe, m.Seed)
}

// arxivID finds the arXiv identifiers a paper's citation names.
var arxivID = regexp.MustCompile(`arXiv:(\d{4}\.\d{4,5})`)

// sizeCategory is the Hub's size bucket of a dataset of rows rows ("10K<n<100K").
func sizeCategory(rows int64) string {
	bounds := []struct {
		n    int64
		name string
	}{{1_000, "n<1K"}, {10_000, "1K<n<10K"}, {100_000, "10K<n<100K"}, {1_000_000, "100K<n<1M"}, {10_000_000, "1M<n<10M"},
		{100_000_000, "10M<n<100M"}, {1_000_000_000, "100M<n<1B"}, {10_000_000_000, "1B<n<10B"}}
	for _, b := range bounds {
		if rows < b.n {
			return b.name
		}
	}
	return "n>10B" // not a Hub bucket; factforge makes nothing near it
}
