package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factforge/factforge/schemas"
)

// editManifest rewrites the manifest of the dataset in dir with edit.
func editManifest(t *testing.T, dir string, edit func(m *schemas.Manifest)) {
	t.Helper()
	m, err := schemas.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	edit(m)
	data, err := json.MarshalIndent(m, "", "  ") // as factforge writes it, so the config reads back the same
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, schemas.ManifestName), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstFile points at the manifest's first data file.
func firstFile(m *schemas.Manifest) *schemas.FileEntry { return &m.Configs[0].Splits[0].Files[0] }

// A manifest is input: one that names a file outside its dataset (by "..", an absolute path, or
// outside data/ and jsonl/) is refused by every command that reads it, with exit 2, before anything is
// read or written there; a data file or manifest that is a symlink is refused too. Nothing outside the
// folders named is read (the secret's text never shows) or written (the victim is untouched).
func TestHostileManifests(t *testing.T) {
	root := t.TempDir()
	secret := filepath.Join(root, "secret.txt")
	victim := filepath.Join(root, "victim.txt")
	os.WriteFile(secret, []byte("TOP-SECRET-LINE\n"), 0o644)
	os.WriteFile(victim, []byte("untouched\n"), 0o644)

	// shards makes a fresh two-shard run of reversal and returns its folders.
	shards := func(t *testing.T) (string, []string) {
		out := filepath.Join(t.TempDir(), "out")
		var dirs []string
		for i := range 2 {
			if code, _, stderr := runCLI(t, "generate", "reversal", "--facts-per-group", "3", "--format", "jsonl", "--out", out, "-q",
				"--shard", fmt.Sprintf("%d/2", i)); code != exitOK {
				t.Fatal(stderr)
			}
			dirs = append(dirs, filepath.Join(out, fmt.Sprintf("reversal.shard-%05d-of-00002", i)))
		}
		return out, dirs
	}
	rel := func(dir, target string) string {
		r, err := filepath.Rel(dir, target)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(r)
	}

	cases := []struct {
		name    string
		edit    func(t *testing.T, dir string) // of the second shard
		command func(out string, dirs []string) []string
		code    int
		message string
	}{
		{"merge writes through ..", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m *schemas.Manifest) { firstFile(m).Path = rel(filepath.Join(dir, "..", "merged"), victim) })
		}, func(out string, dirs []string) []string {
			return append([]string{"merge", "--out", out, "--name", "merged"}, dirs...)
		}, exitBadInput, "not a clean relative path"},
		{"validate reads through ..", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m *schemas.Manifest) { firstFile(m).Path = rel(dir, secret) })
		}, func(out string, dirs []string) []string { return []string{"validate", dirs[1]} }, exitBadInput, "not a clean relative path"},
		{"stats reads an absolute path", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m *schemas.Manifest) { firstFile(m).Path = secret })
		}, func(out string, dirs []string) []string { return []string{"stats", dirs[1]} }, exitBadInput, "not a clean relative path"},
		{"audit reads outside data/ and jsonl/", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "notes.jsonl"), []byte("{}\n"), 0o644)
			editManifest(t, dir, func(m *schemas.Manifest) { firstFile(m).Path = "notes.jsonl" })
		}, func(out string, dirs []string) []string { return []string{"audit", dirs[1]} }, exitBadInput, "not under data/ or jsonl/"},
		{"the audit report elsewhere", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m *schemas.Manifest) { m.Audit = &schemas.FileEntry{Path: "jsonl/../../secret.txt"} })
		}, func(out string, dirs []string) []string { return []string{"validate", dirs[1]} }, exitBadInput, "not audit.json"},
		{"a data file is a symlink out", func(t *testing.T, dir string) {
			m, _ := schemas.ReadManifest(dir)
			p := filepath.Join(dir, filepath.FromSlash(firstFile(m).Path))
			os.Remove(p)
			if err := os.Symlink(secret, p); err != nil {
				t.Fatal(err)
			}
		}, func(out string, dirs []string) []string { return []string{"validate", dirs[1]} }, exitFailed, "is not a regular file (a symlink)"},
		{"the manifest is a symlink", func(t *testing.T, dir string) {
			p := filepath.Join(dir, schemas.ManifestName)
			os.Rename(p, p+".real")
			if err := os.Symlink(p+".real", p); err != nil {
				t.Fatal(err)
			}
		}, func(out string, dirs []string) []string { return []string{"audit", dirs[1]} }, exitBadInput, "is not a regular file (a symlink)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, dirs := shards(t)
			c.edit(t, dirs[1])
			code, stdout, stderr := runCLI(t, c.command(out, dirs)...)
			if code != c.code || !strings.Contains(stderr, c.message) {
				t.Errorf("exit %d, want %d; stderr %q, want it to say %q", code, c.code, stderr, c.message)
			}
			if strings.Contains(stdout+stderr, "TOP-SECRET") {
				t.Errorf("the secret outside the dataset was read:\n%s%s", stdout, stderr)
			}
			if data, _ := os.ReadFile(victim); string(data) != "untouched\n" {
				t.Errorf("the file outside --out was written: %q", data)
			}
			if _, err := os.Stat(filepath.Join(out, "merged")); err == nil {
				t.Errorf("a merged dataset was left")
			}
		})
	}
}
