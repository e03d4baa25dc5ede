package schemas

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ManifestName is the manifest's file name; a dataset folder without it is unfinished.
const ManifestName = "manifest.json"

// Manifest records how a dataset was made and what it holds. It has no timestamps, so the same recipe,
// seed and version give the same manifest.
type Manifest struct {
	Version string          `json:"factforge_version"`
	Recipe  string          `json:"recipe"`
	Paper   string          `json:"paper,omitempty"` // the anchor paper, as the recipe names it; the card's tags and metadata follow from it
	Seed    uint64          `json:"seed"`
	Config  json.RawMessage `json:"config"` // the fully resolved recipe config
	Configs []ConfigEntry   `json:"configs"`
	Rules   []Rule          `json:"rules"`
	Stats   []Stat          `json:"stats,omitempty"` // facts about the generated world and data
	Shard   *ShardEntry     `json:"shard,omitempty"` // set in the manifest of one shard of a dataset
	// Audit is the audit report made with the dataset (generate --audit), when there is one.
	Audit *FileEntry `json:"audit,omitempty"`
	// Card is the dataset card, README.md, rendered from the rest of the manifest; validate checks
	// its hash and that its front matter and provenance line say what the manifest says.
	Card *FileEntry `json:"card,omitempty"`
}

// ShardEntry says which shard of how many a folder holds.
type ShardEntry struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// ConfigEntry is one config: its schema and its splits.
type ConfigEntry struct {
	Name    string       `json:"name"`
	Columns []Column     `json:"columns"`
	Splits  []SplitEntry `json:"splits"`
}

// SplitEntry is one split of a config and its files, one per format.
type SplitEntry struct {
	Name  string      `json:"name"`
	Rows  int64       `json:"rows"`
	Files []FileEntry `json:"files"`
}

// FileEntry is one data file, its path relative to the dataset folder.
type FileEntry struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Stat is one named figure, such as how many generated names needed a middle name.
type Stat struct {
	Name  string `json:"name"`
	Value int64  `json:"value"`
	Doc   string `json:"description"`
}

// Schema returns the config's schema.
func (c ConfigEntry) Schema() Schema { return Schema{Columns: c.Columns} }

// ReadManifest reads dir/manifest.json. A manifest that is not a regular file, is too large, is not
// valid JSON, names a file outside its dataset, or has a count out of range, a shard that does not
// exist or a rule without the columns its kind compares is a *ManifestError.
func ReadManifest(dir string) (*Manifest, error) {
	name := filepath.Join(dir, ManifestName)
	f, err := OpenRegular(name)
	if err != nil {
		if os.IsNotExist(err) {
			// A folder that is not a dataset is bad input, for every command that reads one.
			return nil, InputErrorf("%s has no %s: not a dataset, or an unfinished one", dir, ManifestName)
		}
		return nil, &ManifestError{name, err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxManifestBytes+1))
	if err != nil {
		return nil, &ManifestError{name, err}
	}
	if len(data) > maxManifestBytes {
		return nil, &ManifestError{name, fmt.Errorf("larger than %d MiB: not a factforge manifest", maxManifestBytes>>20)}
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, &ManifestError{name, err}
	}
	if err := m.checkPaths(); err != nil {
		return nil, &ManifestError{name, err}
	}
	if err := m.checkFolders(dir); err != nil {
		return nil, &ManifestError{name, err}
	}
	if err := m.checkCounts(); err != nil {
		return nil, &ManifestError{name, err}
	}
	return &m, nil
}

// ConfigNamed returns the config of that name, or nil.
func (m *Manifest) ConfigNamed(name string) *ConfigEntry {
	for i := range m.Configs {
		if m.Configs[i].Name == name {
			return &m.Configs[i]
		}
	}
	return nil
}
