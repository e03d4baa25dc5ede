package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factforge/factforge/schemas"
)

// datasetCases are the hostile cases of datasets: manifests, tampering that validate must catch, merge and regenerate.
var datasetCases = []hostileCase{
	// Counts, shards and rules a manifest states are checked as it is read: no panic, no allocation by them.
	{"validate: a split of 2^62 rows", reversal(setRows(1 << 62)), validateIt, exitBadInput, "4611686018427387904 rows: a split holds 0 to"},
	{"validate: a split of -1 rows", reversal(setRows(-1)), validateIt, exitBadInput, "-1 rows: a split holds 0 to"},
	{"stats: a split of -1 rows", reversal(setRows(-1)), []string{"stats", "out/reversal"}, exitBadInput, "-1 rows: a split holds 0 to"},
	{"validate: a split of 10^9 rows, its file's count too", reversal(manifest(func(m *schemas.Manifest) {
		m.Configs[0].Splits[0].Rows, firstFile(m).Rows = 1e9, 1e9
	})), validateIt, exitFailed, "1000000000 rows, the config makes 360"},
	{"validate: a file of -5 rows", reversal(manifest(func(m *schemas.Manifest) { firstFile(m).Rows = -5 })), validateIt, exitBadInput, "-5 rows: a file holds 0 to"},
	{"validate: a file of -1 bytes", reversal(manifest(func(m *schemas.Manifest) { firstFile(m).Bytes = -1 })), validateIt, exitBadInput, "-1 bytes: a file holds 0 to"},
	{"validate: a not_contained rule with no right columns", reversal(manifest(func(m *schemas.Manifest) {
		right := schemas.Select("train", "", []string{}...)
		m.Rules = append(m.Rules, schemas.Rule{Kind: schemas.NotContained, Doc: "x", Left: schemas.Select("eval", "", "prompt"), Right: &right})
	})), validateIt, exitBadInput, "selects 1 columns on its left and 0 on its right"},
	{"validate: a unique rule with no columns", reversal(manifest(func(m *schemas.Manifest) { m.Rules[0].Left.Columns = []string{} })), validateIt, exitBadInput, "rule selects no columns on its left"},
	{"validate: shard 5 of 2", reversal(manifest(func(m *schemas.Manifest) { m.Shard = &schemas.ShardEntry{Index: 5, Count: 2} })), validateIt, exitBadInput, "shard index 5 of 2 shards"},
	{"validate: shard 0 of 0", reversal(manifest(func(m *schemas.Manifest) { m.Shard = &schemas.ShardEntry{Index: 0, Count: 0} })), validateIt, exitBadInput, "shard count 0"},
	{"validate: the card elsewhere", reversal(manifest(func(m *schemas.Manifest) { m.Card.Path = "../README.md" })), validateIt, exitBadInput, "the card's path is \"../README.md\""},

	// Data files are input too.
	{"stats: a crafted Parquet footer", func(t *testing.T, dir string) {
		ds := makeDataset(t, dir, "reversal", "--facts-per-group", "3", "--format", "parquet")
		footer := []byte{0x15, 2, 0x19, 0xFC, 255, 255, 255, 255, 7, 0} // a list of 2^31 elements, once decoded
		data := append(append([]byte("PAR1"), footer...), 10, 0, 0, 0, 'P', 'A', 'R', '1')
		if err := os.WriteFile(filepath.Join(ds, "data/train/train-00000-of-00001.parquet"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}, []string{"stats", "out/reversal"}, exitFailed, "train-00000-of-00001.parquet: not a Parquet file"},
	{"stats: a JSONL row of 100 MB", reversal(func(t *testing.T, ds string) {
		p := filepath.Join(ds, "jsonl/train/train-00000-of-00001.jsonl")
		if err := os.WriteFile(p, []byte(`{"id":"`), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(p, 100<<20); err != nil { // sparse: no disk, no newline
			t.Fatal(err)
		}
	}), []string{"stats", "out/reversal"}, exitFailed, "train-00000-of-00001.jsonl:1: a row longer than 64 MiB"},
	{"stats: the data folder linked elsewhere", reversal(func(t *testing.T, ds string) {
		outside := filepath.Join(filepath.Dir(filepath.Dir(ds)), "elsewhere")
		if err := os.Rename(filepath.Join(ds, "jsonl"), outside); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, filepath.Join(ds, "jsonl")); err != nil {
			t.Fatal(err)
		}
	}), []string{"stats", "out/reversal"}, exitBadInput, "out/reversal/jsonl is not a folder (a symlink): refused"},
	{"export: a split named to climb out of the task folder", reversal(manifest(func(m *schemas.Manifest) {
		for i := range m.Configs {
			if m.Configs[i].Name == "eval" {
				m.Configs[i].Splits[1].Name = "../../pwn"
			}
		}
	})), exportIt, exitBadInput, `task name "reversal_../../pwn" (from a config or split name) is not a harness task name`},
	{"export: a JSONL probe of 100 MB", reversal(func(t *testing.T, ds string) {
		p := filepath.Join(ds, "jsonl/eval/reverse-00000-of-00001.jsonl")
		if err := os.WriteFile(p, []byte(`{"id":"`), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(p, 100<<20); err != nil {
			t.Fatal(err)
		}
	}), exportIt, exitFailed, "reverse-00000-of-00001.jsonl:1: a row longer than 64 MiB"},
	{"export: the data folder linked elsewhere", reversal(func(t *testing.T, ds string) {
		outside := filepath.Join(filepath.Dir(filepath.Dir(ds)), "elsewhere")
		if err := os.Rename(filepath.Join(ds, "jsonl"), outside); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, filepath.Join(ds, "jsonl")); err != nil {
			t.Fatal(err)
		}
	}), exportIt, exitBadInput, "out/reversal/jsonl is not a folder (a symlink): refused"},
	{"generate: the lock file a symlink out", func(t *testing.T, dir string) {
		os.Mkdir(filepath.Join(dir, "out"), 0o755)
		if err := os.Symlink(filepath.Join(dir, "victim"), filepath.Join(dir, "out", ".reversal.lock")); err != nil {
			t.Fatal(err)
		}
	}, []string{"generate", "reversal", "--out", "out", "-q"}, exitFailed, "cannot lock out/reversal"},

	// Files the manifest does not list, and the card.
	{"validate: a file beside the manifest", reversal(write("notes.txt", "hello\n")), validateIt, exitFailed, "notes.txt: file not listed in the manifest"},
	{"validate: a folder beside data", reversal(write("extra/payload.bin", "x")), validateIt, exitFailed, "extra/: folder not listed in the manifest"},
	{"validate: a data file not listed", reversal(write("jsonl/train/train-00001-of-00002.jsonl", "{}\n")), validateIt, exitFailed, "data file not listed in the manifest"},
	{"validate: a symlink beside the manifest", reversal(func(t *testing.T, ds string) {
		if err := os.Symlink("/etc/hostname", filepath.Join(ds, "link")); err != nil {
			t.Fatal(err)
		}
	}), validateIt, exitFailed, "link: file not listed in the manifest"},
	{"validate: a byte of the card changed", reversal(editFile("README.md", func(s string) string { return strings.Replace(s, "# reversal", "# reversaL", 1) })),
		validateIt, exitFailed, "README.md: sha256"},
	{"validate: the card removed", reversal(func(t *testing.T, ds string) { os.Remove(filepath.Join(ds, "README.md")) }), validateIt, exitFailed, "README.md: "},
	{"validate: the card not listed", reversal(manifest(func(m *schemas.Manifest) { m.Card = nil })), validateIt, exitFailed, "README.md: not listed in the manifest"},
	{"validate: the card's train config points at eval files, its hash fixed", reversal(func(t *testing.T, ds string) {
		editFile("README.md", func(s string) string {
			return strings.Replace(s, "path: jsonl/train/train-*.jsonl", "path: jsonl/eval/reverse-*.jsonl", 1)
		})(t, ds)
		fixCard(t, ds)
	}), validateIt, exitFailed, "its front matter is not the one the manifest makes"},
	{"validate: the card names another seed, its hash fixed", reversal(func(t *testing.T, ds string) {
		editFile("README.md", func(s string) string { return strings.Replace(s, "seed 42,", "seed 41,", 1) })(t, ds)
		fixCard(t, ds)
	}), validateIt, exitFailed, "does not name the manifest's version, recipe and seed"},

	// The manifest edited: the rules and counts the recipe writes for its config are derived again.
	{"validate: a row deleted, its counts and hash fixed", reversal(func(t *testing.T, ds string) {
		f := filepath.Join(ds, "jsonl/train/train-00000-of-00001.jsonl")
		data, _ := os.ReadFile(f)
		lines := strings.SplitAfter(string(data), "\n")
		os.WriteFile(f, []byte(strings.Join(lines[1:], "")), 0o644)
		editManifest(t, ds, func(m *schemas.Manifest) {
			m.Configs[0].Splits[0].Rows--
			firstFile(m).Rows--
			refresh(t, ds, firstFile(m))
		})
	}), validateIt, exitFailed, "train/train: 359 rows, the config makes 360"},
	{"validate: rules emptied", reversal(manifest(func(m *schemas.Manifest) { m.Rules = []schemas.Rule{} })), validateIt, exitFailed, "missing: the recipe writes"},
	{"validate: a rule given an always-false where", reversal(manifest(func(m *schemas.Manifest) {
		for i := range m.Rules {
			m.Rules[i].Left = m.Rules[i].Left.Filtered("id", "no such id")
		}
	})), validateIt, exitFailed, "changed: the manifest says"},
	{"validate: a rule added", reversal(manifest(func(m *schemas.Manifest) {
		m.Rules = append(m.Rules, schemas.Rule{Kind: schemas.Unique, Doc: "ids are unique, again", Left: schemas.Select("train", "", "id")})
	})), validateIt, exitFailed, `rule "ids are unique, again" is not one the recipe writes`},
	{"validate: the recipe changed", reversal(manifest(func(m *schemas.Manifest) { m.Recipe = "bios" })), validateIt, exitFailed, `the manifest says recipe "bios", its config "reversal"`},
	{"validate: the seed changed", reversal(manifest(func(m *schemas.Manifest) { m.Seed = 7 })), validateIt, exitFailed, "the manifest says seed 7, its config 42"},
	{"validate: the seed changed in the config too", reversal(editFile(schemas.ManifestName, func(s string) string {
		return strings.ReplaceAll(s, `"seed": 42`, `"seed": 43`)
	})), validateIt, exitFailed, "does not name the manifest's version, recipe and seed"},
	{"validate: an option changed in the config", reversal(editFile(schemas.ManifestName, func(s string) string {
		return strings.Replace(s, `"facts-per-group": 3`, `"facts-per-group": 2`, 1)
	})), validateIt, exitFailed, "360 rows, the config makes 240"},
	{"validate: a split removed", reversal(manifest(func(m *schemas.Manifest) { m.Configs[1].Splits = m.Configs[1].Splits[1:] })),
		validateIt, exitFailed, "eval/same_direction: split missing from the manifest"},
	{"validate: another version", reversal(manifest(func(m *schemas.Manifest) { m.Version = "0.0.1" })), validateIt, exitFailed, `made by factforge "0.0.1"`},
	{"validate: a figure changed", func(t *testing.T, dir string) {
		ds := makeDataset(t, dir, "bios", "--people", "20", "--format", "jsonl")
		editManifest(t, ds, func(m *schemas.Manifest) { m.Stats[0].Value++ })
	}, []string{"validate", "out/bios"}, exitFailed, "figures (stats) are not the ones its config makes"},
	{"validate: a column renamed", reversal(manifest(func(m *schemas.Manifest) { m.Configs[0].Columns[7].Name = "dir" })), validateIt, exitFailed, "its columns are not the ones the recipe writes"},
	{"validate: changed text, both formats, the sha fixed", func(t *testing.T, dir string) {
		ds := makeDataset(t, dir, "reversal", "--facts-per-group", "3")
		editFile("jsonl/train/train-00000-of-00001.jsonl", func(s string) string { return strings.Replace(s, " was ", " wasn't ", 1) })(t, ds)
		editManifest(t, ds, func(m *schemas.Manifest) { refresh(t, ds, &m.Configs[0].Splits[0].Files[1]) })
	}, validateIt, exitFailed, "the parquet and jsonl files differ at row"},

	// regenerate reads the dataset's own files.
	{"regenerate: a flipped byte", reversal(editFile("jsonl/train/train-00000-of-00001.jsonl", func(s string) string { return strings.Replace(s, "a", "b", 1) })),
		[]string{"regenerate", "--out", "../regen-flipped", "-q", "out/reversal"}, exitFailed, "train-00000-of-00001.jsonl: differs from out/reversal's, first at byte"},
	{"regenerate: changed text, the sha fixed", reversal(func(t *testing.T, ds string) {
		editFile("jsonl/train/train-00000-of-00001.jsonl", func(s string) string { return strings.Replace(s, " was ", " wasn't ", 1) })(t, ds)
		editManifest(t, ds, func(m *schemas.Manifest) { refresh(t, ds, firstFile(m)) })
	}), []string{"regenerate", "--out", "../regen-text", "-q", "out/reversal"}, exitFailed, "1 files differ"},
	{"regenerate: a config that is not JSON of a config", reversal(editFile(schemas.ManifestName, func(s string) string {
		return strings.Replace(s, `"style": "text"`, `"style": 5`, 1)
	})), []string{"regenerate", "--out", "../regen-config", "out/reversal"}, exitBadInput, "config: json: cannot unmarshal number"},

	// merge: bad shards are bad input (exit 2) and leave nothing; a merged dataset that fails validation
	// is not put in place (exit 1).
	{"merge: shard index 7", shards(shardManifest(1, func(m *schemas.Manifest) { m.Shard.Index = 7 })), mergeBoth, exitBadInput, "shard index 7 of 2 shards"},
	{"merge: shard index -1", shards(shardManifest(1, func(m *schemas.Manifest) { m.Shard.Index = -1 })), mergeBoth, exitBadInput, "shard index -1 of 2 shards"},
	{"merge: one shard of two", shards(nil), []string{"merge", "--out", "m", "out/reversal.shard-00000-of-00002"}, exitBadInput, "1 folders given for 2 shards"},
	{"merge: a shard twice", shards(nil), []string{"merge", "--out", "m", "out/reversal.shard-00000-of-00002", "out/reversal.shard-00000-of-00002"}, exitBadInput, "shard 0 is given twice"},
	{"merge: a dataset that is not a shard", reversal(nil), []string{"merge", "--out", "m", "out/reversal"}, exitBadInput, "is not a shard"},
	{"merge: a folder that is not a dataset", func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "empty"), 0o755) },
		[]string{"merge", "--out", "m", "empty"}, exitBadInput, "has no manifest.json"},
	{"merge: shards of two seeds", shards(shardManifest(1, func(m *schemas.Manifest) { m.Seed = 9 })), mergeBoth, exitBadInput, "is a shard of another dataset"},
	{"merge: a shard with other rules", shards(shardManifest(1, func(m *schemas.Manifest) { m.Rules = m.Rules[1:] })), mergeBoth, exitBadInput, "other rules"},
	{"merge: a shard with a split less", shards(shardManifest(1, func(m *schemas.Manifest) { m.Configs[1].Splits = m.Configs[1].Splits[1:] })), mergeBoth, exitBadInput, "is not laid out like"},
	{"merge: a shard's file missing", shards(func(t *testing.T, dir string) {
		os.Remove(filepath.Join(dir, "out/reversal.shard-00001-of-00002/jsonl/eval/reverse-00001-of-00002.jsonl"))
	}), mergeBoth, exitBadInput, "reverse-00001-of-00002.jsonl: no such file"},
	{"merge: two shards list one file", shards(shardManifest(1, func(m *schemas.Manifest) {
		firstFile(m).Path = "jsonl/train/train-00000-of-00002.jsonl"
	})), mergeBoth, exitBadInput, "both list jsonl/train/train-00000-of-00002.jsonl"},
	{"merge: into a dataset that exists", func(t *testing.T, dir string) {
		shards(nil)(t, dir)
		os.MkdirAll(filepath.Join(dir, "m", "reversal"), 0o755)
	}, mergeBoth, exitBadInput, "dataset exists"},
	{"merge: an unknown recipe", shards(func(t *testing.T, dir string) {
		for i := range 2 {
			editFile(fmt.Sprintf("out/reversal.shard-%05d-of-00002/manifest.json", i), func(s string) string {
				return strings.ReplaceAll(s, `"recipe": "reversal"`, `"recipe": "reversul"`)
			})(t, dir)
		}
	}), mergeBoth, exitBadInput, `"reversul"`},
	{"merge: a shard's byte flipped", shards(editFile("out/reversal.shard-00001-of-00002/jsonl/train/train-00001-of-00002.jsonl", func(s string) string {
		return strings.Replace(s, "a", "b", 1)
	})), mergeBoth, exitFailed, "problems in the merged dataset: nothing written"},
	{"merge: a shard's row deleted, its counts and hash fixed", shards(func(t *testing.T, dir string) {
		ds := filepath.Join(dir, "out/reversal.shard-00001-of-00002")
		editFile("jsonl/train/train-00001-of-00002.jsonl", func(s string) string { return s[strings.Index(s, "\n")+1:] })(t, ds)
		editManifest(t, ds, func(m *schemas.Manifest) {
			m.Configs[0].Splits[0].Rows--
			firstFile(m).Rows--
			refresh(t, ds, firstFile(m))
		})
	}), mergeBoth, exitFailed, "train/train: 359 rows, the config makes 360"},
}

var (
	validateIt = []string{"validate", "out/reversal"}
	exportIt   = []string{"export", "--for", "lm-eval", "out/reversal", "--out", "new/tasks"}
	mergeBoth  = []string{"merge", "--out", "m", "out/reversal.shard-00000-of-00002", "out/reversal.shard-00001-of-00002"}
)

// reversal makes a small JSON Lines reversal dataset at out/reversal and then applies edit to it.
func reversal(edit func(t *testing.T, ds string)) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		ds := makeDataset(t, dir, "reversal", "--facts-per-group", "3", "--format", "jsonl")
		if edit != nil {
			edit(t, ds)
		}
	}
}

// shards makes the two shards of a small JSON Lines reversal run under out/, then applies edit to the
// working folder.
func shards(edit func(t *testing.T, dir string)) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		for i := range 2 {
			if code, _, stderr := runCLI(t, "generate", "reversal", "--facts-per-group", "3", "--format", "jsonl", "--out", filepath.Join(dir, "out"), "-q",
				"--shard", fmt.Sprintf("%d/2", i)); code != exitOK {
				t.Fatal(stderr)
			}
		}
		if edit != nil {
			edit(t, dir)
		}
	}
}

// shardManifest edits the manifest of shard i of a shards setup.
func shardManifest(i int, edit func(m *schemas.Manifest)) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		editManifest(t, filepath.Join(dir, "out", fmt.Sprintf("reversal.shard-%05d-of-00002", i)), edit)
	}
}

func manifest(edit func(m *schemas.Manifest)) func(t *testing.T, ds string) {
	return func(t *testing.T, ds string) { editManifest(t, ds, edit) }
}

func setRows(n int64) func(t *testing.T, ds string) {
	return manifest(func(m *schemas.Manifest) { m.Configs[0].Splits[0].Rows = n })
}

// write writes a file into the dataset.
func write(rel, content string) func(t *testing.T, ds string) {
	return func(t *testing.T, ds string) { writeFiles(t, ds, map[string]string{rel: content}) }
}

// editFile rewrites the file rel of folder ds with edit, which must change it.
func editFile(rel string, edit func(string) string) func(t *testing.T, ds string) {
	return func(t *testing.T, ds string) {
		t.Helper()
		p := filepath.Join(ds, filepath.FromSlash(rel))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		changed := edit(string(data))
		if changed == string(data) {
			t.Fatalf("the edit of %s changed nothing", rel)
		}
		if err := os.WriteFile(p, []byte(changed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// refresh sets a file entry's size and sha256 to the file's, as a careful tamperer would.
func refresh(t *testing.T, ds string, fe *schemas.FileEntry) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ds, filepath.FromSlash(fe.Path)))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	fe.Bytes, fe.SHA256 = int64(len(data)), hex.EncodeToString(sum[:])
}

// fixCard sets the manifest's card entry to the card's size and sha256.
func fixCard(t *testing.T, ds string) {
	editManifest(t, ds, func(m *schemas.Manifest) { refresh(t, ds, m.Card) })
}
