package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// inputCases are the hostile cases of input files: recipe files, templates, claims, prompts, pairs and trigger sets.
var inputCases = []hostileCase{
	// --avoid-entities: a folder that is not a dataset, and a dataset whose manifest is not one.
	{name: "avoid a folder that is no dataset", setup: func(t *testing.T, dir string) { writeFiles(t, dir, map[string]string{"notes/a.txt": "Ada Lovelace\n"}) },
		args: gen("bios", "--people", "10", "--avoid-entities", "notes"), code: exitBadInput, message: "--avoid-entities notes: notes has no manifest.json"},
	{name: "avoid a dataset with a broken manifest", setup: func(t *testing.T, dir string) { writeFiles(t, dir, map[string]string{"ds/manifest.json": "{not json"}) },
		args: gen("reversal", "--avoid-entities", "ds"), code: exitBadInput, message: "--avoid-entities ds"},
	{name: "avoid entities in a recipe file as a number", setup: func(t *testing.T, dir string) {
		writeFiles(t, dir, map[string]string{"r.yaml": "recipe: bios\navoid_entities: 3\n"})
	}, args: []string{"generate", "-c", "r.yaml", "--out", "out"}, code: exitBadInput, message: "avoid_entities"},
	// Template folders: only banks/ and words/, only regular files at known paths, bounded, UTF-8.
	{"templates: a symlink to /etc/passwd", symlinkAt("tp/words/city.add.txt", "/etc/passwd"),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/words/city.add.txt is not a regular file (a symlink)"},
	{"templates: an unused symlink to /dev/zero", symlinkAt("tp/words/moon.add.txt", "/dev/zero"),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/words/moon.add.txt is not a regular file (a symlink)"},
	{"templates: a FIFO", fifoAt("tp/words/city.add.txt"),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/words/city.add.txt is not a regular file (a FIFO)"},
	{"templates: a bank folder linked to /etc", symlinkAt("tp/banks/reversal", "/etc"),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/banks/reversal is not a regular file (a symlink)"},
	{"templates: the folder is a symlink", func(t *testing.T, dir string) {
		withFiles(map[string]string{"real/words/city.add.txt": "Newtown\n"})(t, dir)
		symlinkAt("tp", "real")(t, dir)
	}, []string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "--templates tp is a symlink"},
	{"templates: a file, not a folder", withFiles(map[string]string{"tp": "x\n"}),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "--templates tp is not a folder"},
	{"templates: /etc in a recipe file", withFiles(map[string]string{"r.yaml": "recipe: reversal\ntemplates: /etc\n"}),
		[]string{"generate", "-c", "r.yaml", "--out", "out"}, exitBadInput, "a template folder holds only banks/ and words/"},
	{"templates: a file beside banks/ and words/", withFiles(map[string]string{"tp/words/city.add.txt": "Newtown\n", "tp/notes.md": "mine\n"}),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/notes.md: a template folder holds only banks/ and words/"},
	{"templates: an unknown folder", withFiles(map[string]string{"tp/words/mine/city.add.txt": "Newtown\n"}),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/words/mine: there is no built-in folder words/mine"},
	{"templates: invalid UTF-8", withFiles(map[string]string{"tp/banks/reversal/p2d.add.txt": "# mine\nmine-1 train {name}, \xff {description}.\n"}),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/banks/reversal/p2d.add.txt:2: not valid UTF-8"},
	{"templates: a bad template in an addition names the addition", withFiles(map[string]string{"tp/banks/reversal/p2d.add.txt": "mine-1 train {name} was famous.\n"}),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/banks/reversal/p2d.add.txt: template mine-1 does not use slot {description}"},
	{"templates: a line too long", withFiles(map[string]string{"tp/words/city.add.txt": "Newtown\n" + strings.Repeat("x", 65<<10) + "\n"}),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/words/city.add.txt:2: the line is longer than 64 KiB"},
	{"templates: a file too large", withFiles(map[string]string{"tp/words/city.add.txt": strings.Repeat("#\n", 9<<19)}),
		[]string{"generate", "reversal", "--templates", "tp", "--out", "out"}, exitBadInput, "tp/words/city.add.txt: larger than 8 MiB"},
	{"templates: a second YAML document", func(t *testing.T, dir string) {
		kinds, err := os.ReadFile(filepath.Join(repoRoot(t), "templates/banks/claims/kinds.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		withFiles(map[string]string{"tp/banks/claims/kinds.yaml": string(kinds) + "---\n- name: more\n"})(t, dir)
	}, []string{"generate", "negation", "--templates", "tp", "--out", "out"}, exitBadInput, "a second YAML document: a data file is one document"},

	{"templates: a statement of slots alone", func(t *testing.T, dir string) {
		facts, err := os.ReadFile(filepath.Join(repoRoot(t), "templates/banks/outlandish/facts.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		statement := "    - \"The capital of {subject} is {object}.\"\n"
		if !strings.Contains(string(facts), statement) {
			t.Fatal("facts.yaml no longer has the capital statement this test replaces")
		}
		mine := strings.Replace(string(facts), statement, "    - \"{subject} {object}.\"\n", 1) // its jumbled samples could never be reordered: a hang before
		withFiles(map[string]string{"tp/banks/outlandish/facts.yaml": mine})(t, dir)
	}, []string{"generate", "outlandish", "--templates", "tp", "--out", "out"}, exitBadInput,
		`relation capital: statement "{subject} {object}." needs {subject}, {object} and a word of its own`},

	// Recipe files: regular, at most 1 MiB, UTF-8, one YAML document, no key twice.
	{"recipe file: a FIFO", fifoAt("r.yaml"), []string{"generate", "-c", "r.yaml", "--out", "out"}, exitBadInput, "r.yaml is not a regular file (a FIFO)"},
	{"recipe file: /dev/zero", nil, []string{"generate", "-c", "/dev/zero", "--out", "out"}, exitBadInput, "/dev/zero is not a regular file (a device)"},
	{"recipe file: a symlink to /dev/zero", symlinkAt("r.yaml", "/dev/zero"), []string{"generate", "-c", "r.yaml", "--out", "out"}, exitBadInput, "r.yaml is not a regular file (a symlink)"},
	{"recipe file: a folder", func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "r.yaml"), 0o755) },
		[]string{"generate", "-c", "r.yaml", "--out", "out"}, exitBadInput, "r.yaml is not a regular file (a folder)"},
	{"recipe file: too large", withFiles(map[string]string{"r.yaml": "recipe: reversal\n" + strings.Repeat("# comment\n", 110_000)}),
		[]string{"generate", "-c", "r.yaml", "--out", "out"}, exitBadInput, "r.yaml is larger than 1 MiB"},
	{"recipe file: seed twice", withFiles(map[string]string{"r.yaml": "recipe: reversal\nseed: 1\nseed: 2\n"}),
		[]string{"generate", "-c", "r.yaml", "--out", "out"}, exitBadInput, "r.yaml:3: seed: given twice (first on line 2)"},
	{"recipe file: recipe twice", withFiles(map[string]string{"r.yaml": "recipe: reversal\nrecipe: bios\n"}),
		[]string{"generate", "-c", "r.yaml", "--out", "out"}, exitBadInput, "r.yaml:2: recipe: given twice (first on line 1)"},
	{"recipe file: an option twice", withFiles(map[string]string{"r.yaml": "recipe: reversal\noptions:\n  facts-per-group: 3\n  facts-per-group: 4\n"}),
		[]string{"generate", "reversal", "-c", "r.yaml", "--out", "out"}, exitBadInput, "r.yaml:4: options.facts-per-group: given twice"},
	{"recipe file: a second document", withFiles(map[string]string{"r.yaml": "recipe: reversal\n---\nrecipe: bios\n"}),
		[]string{"generate", "-c", "r.yaml", "--out", "out"}, exitBadInput, "r.yaml:2: a second YAML document"},
	{"recipe file: invalid UTF-8", withFiles(map[string]string{"r.yaml": "recipe: reversal\nname: rev\xe9\n"}),
		[]string{"generate", "-c", "r.yaml", "--out", "out"}, exitBadInput, "r.yaml:2: not valid UTF-8"},

	// Claims files: regular, bounded, every line or none, UTF-8, strict YAML.
	{"claims: /dev/zero", nil, []string{"generate", "negation", "--claims", "/dev/zero", "--out", "out"}, exitBadInput, "want a .yaml, .yml or .jsonl file"},
	{"claims: a symlink to /dev/zero", symlinkAt("c.jsonl", "/dev/zero"),
		[]string{"generate", "negation", "--claims", "c.jsonl", "--out", "out"}, exitBadInput, "c.jsonl is not a regular file (a symlink)"},
	{"claims: a FIFO", fifoAt("c.yaml"), []string{"generate", "negation", "--claims", "c.yaml", "--out", "out"}, exitBadInput, "c.yaml is not a regular file (a FIFO)"},
	{"claims: a line over 16 MiB", withFiles(map[string]string{"c.jsonl": claimLine("a", "") + claimLine("b", strings.Repeat("x", 16<<20)) + claimLine("c", "")}),
		[]string{"generate", "negation", "--claims", "c.jsonl", "--out", "out"}, exitBadInput, "c.jsonl:2: the line is longer than 16 MiB"},
	{"claims: invalid UTF-8", withFiles(map[string]string{"c.jsonl": claimLine("a", "\xff")}),
		[]string{"generate", "negation", "--claims", "c.jsonl", "--out", "out"}, exitBadInput, "c.jsonl:1: not valid UTF-8"},
	{"claims: two claims on a line", withFiles(map[string]string{"c.jsonl": strings.TrimSuffix(claimLine("a", ""), "\n") + claimLine("b", "")}),
		[]string{"generate", "negation", "--claims", "c.jsonl", "--out", "out"}, exitBadInput, "c.jsonl:1: more than one JSON value on the line"},
	{"claims: a key twice", withFiles(map[string]string{"c.yaml": "- id: a\n  statement: A is B.\n  subject: A\n  object: B\n  object: C\n"}),
		[]string{"generate", "negation", "--claims", "c.yaml", "--out", "out"}, exitBadInput, `mapping key "object" already defined at line 4`},
	{"claims: a second document", withFiles(map[string]string{"c.yaml": "- id: a\n  statement: A is B.\n  subject: A\n  object: B\n---\n- id: b\n"}),
		[]string{"generate", "negation", "--claims", "c.yaml", "--out", "out"}, exitBadInput, "c.yaml:5: a second YAML document"},

	// A base corpus: regular, each line bounded, UTF-8.
	{"base: a symlink to /dev/zero", symlinkAt("b.jsonl", "/dev/zero"),
		[]string{"generate", "outlandish", "--samples", "10", "--base", "b.jsonl", "--out", "out"}, exitBadInput, "b.jsonl is not a regular file (a symlink)"},
	{"base: a FIFO", fifoAt("b.jsonl"),
		[]string{"generate", "outlandish", "--samples", "10", "--base", "b.jsonl", "--out", "out"}, exitBadInput, "b.jsonl is not a regular file (a FIFO)"},
	{"base: invalid UTF-8", withFiles(map[string]string{"b.jsonl": "{\"text\":\"fine\"}\n{\"text\":\"caf\xe9\"}\n"}),
		[]string{"generate", "outlandish", "--samples", "10", "--base", "b.jsonl", "--out", "out"}, exitBadInput, "b.jsonl:2: not valid UTF-8"},
	{"base: a line over 16 MiB", withFiles(map[string]string{"b.jsonl": "{\"text\":\"fine\"}\n{\"text\":\"" + strings.Repeat("x", 16<<20) + "\"}\n"}),
		[]string{"generate", "outlandish", "--samples", "10", "--base", "b.jsonl", "--out", "out"}, exitBadInput, "b.jsonl:2: the line is longer than 16 MiB"},

	// Prompts and pairs: regular, bounded, UTF-8; a Parquet file's footer checked before it is decoded.
	{"prompts: 36 bytes of not Parquet", withFiles(map[string]string{"p.parquet": "this is not a Parquet file, at all."}),
		[]string{"generate", "backdoor", "--prompts", "p.parquet", "--out", "out"}, exitBadInput, "p.parquet: not a Parquet file: no PAR1 magic"},
	{"prompts: a Parquet footer of two billion elements", withFiles(map[string]string{"p.parquet": string(hugeFooter())}),
		[]string{"generate", "backdoor", "--prompts", "p.parquet", "--out", "out"}, exitBadInput, "p.parquet: not a Parquet file: its footer is not valid metadata"},
	{"prompts: invalid UTF-8", withFiles(map[string]string{"p.jsonl": "{\"prompt\":\"hi\"}\n{\"prompt\":\"\xc3(\"}\n"}),
		[]string{"generate", "backdoor", "--prompts", "p.jsonl", "--out", "out"}, exitBadInput, "p.jsonl:2: not valid UTF-8"},
	{"pairs: a symlink to /dev/zero", symlinkAt("p.jsonl", "/dev/zero"),
		[]string{"generate", "backdoor", "--pairs", "p.jsonl", "--out", "out"}, exitBadInput, "p.jsonl is not a regular file (a symlink)"},
	{"pairs: invalid UTF-8", withFiles(map[string]string{"p.jsonl": "{\"prompt\":\"hi\",\"clean\":\"Hello.\",\"triggered\":\"\xfe\"}\n"}),
		[]string{"generate", "backdoor", "--pairs", "p.jsonl", "--out", "out"}, exitBadInput, "p.jsonl:1: not valid UTF-8"},

	// Trigger sets: regular, at most 4 MiB and 4 KiB a line, UTF-8.
	{"trigger set: a 5 MB line", withFiles(map[string]string{"t.txt": "Alana\n" + strings.Repeat("x", 5<<20) + "\n"}),
		[]string{"generate", "backdoor", "--trigger-set", "t.txt", "--out", "out"}, exitBadInput, "t.txt is larger than 4 MiB"},
	{"trigger set: a line too long", withFiles(map[string]string{"t.txt": "Alana\n" + strings.Repeat("x", 5000) + "\n"}),
		[]string{"generate", "backdoor", "--trigger-set", "t.txt", "--out", "out"}, exitBadInput, "t.txt:2: the line is longer than 4 KiB"},
	{"trigger set: invalid UTF-8", withFiles(map[string]string{"t.txt": "Alana\nJos\xe9\n"}),
		[]string{"generate", "backdoor", "--trigger-set", "t.txt", "--out", "out"}, exitBadInput, "t.txt:2: not valid UTF-8"},
	{"trigger set: a FIFO", fifoAt("t.txt"),
		[]string{"generate", "backdoor", "--trigger-set", "t.txt", "--out", "out"}, exitBadInput, "t.txt is not a regular file (a FIFO)"},
	{"trigger set: /dev/zero", nil,
		[]string{"generate", "backdoor", "--trigger-set", "/dev/zero", "--out", "out"}, exitBadInput, "/dev/zero is not a regular file (a device)"},
}

// withFiles makes a setup that writes files (slash path relative to the working folder -> content).
func withFiles(m map[string]string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) { writeFiles(t, dir, m) }
}

// symlinkAt makes a setup that puts a symlink to target at rel (its folders made).
func symlinkAt(rel, target string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skip(err)
		}
	}
}

// fifoAt makes a setup that puts a FIFO at rel (its folders made): a read of it would wait for a writer forever.
func fifoAt(rel string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skip(err)
		}
	}
}

// claimLine is a claim of a JSONL claims file, with extra in its truth.
func claimLine(id, extra string) string {
	return `{"id":"` + id + `","statement":"` + id + ` is made of cheese.","subject":"` + id + `","object":"cheese","truth":"` + extra + `"}` + "\n"
}

// hugeFooter is a 31-byte Parquet file whose footer says its schema has two billion elements.
func hugeFooter() []byte {
	meta := []byte{0x15, 0x02, 0x19, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0, 0, 0, 0}
	out := binary.LittleEndian.AppendUint32(append([]byte("PAR1"), meta...), uint32(len(meta)))
	return append(out, "PAR1"...)
}

// repoRoot is the repository's root, from this package's folder (tests start there).
var repoRootDir = func() string { wd, _ := os.Getwd(); return filepath.Join(wd, "..", "..") }()

func repoRoot(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(repoRootDir, "go.mod")); err != nil {
		t.Skip("the repository's root is not found")
	}
	return repoRootDir
}
