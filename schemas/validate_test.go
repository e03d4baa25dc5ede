package schemas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"go.yaml.in/yaml/v3"
)

var (
	trainSchema = Schema{Columns: []Column{{Name: "id", Type: String}, {Name: "fact_id", Type: String}, {Name: "direction", Type: String}, {Name: "group", Type: String}}}
	probeSchema = Schema{Columns: []Column{{Name: "id", Type: String}, {Name: "fact_id", Type: String}, {Name: "direction", Type: String}}}
)

func s(v string) Value { return Value{Str: v} }

// writeTestDataset writes a two-config dataset in both formats, with the rules a reversal dataset
// states, and returns its folder.
func writeTestDataset(t testing.TB, train, probes []Row, rules []Rule) string {
	t.Helper()
	return writeShardedTestDataset(t, 1, train, probes, rules)
}

// writeShardedTestDataset writes the dataset with each split's rows spread over parts files per
// format, as a merged dataset holds its shards.
func writeShardedTestDataset(t testing.TB, parts int, train, probes []Row, rules []Rule) string {
	t.Helper()
	out := t.TempDir()
	ds, err := CreateDataset(out, "ds", false)
	if err != nil {
		t.Fatal(err)
	}
	m := &Manifest{Version: "test", Recipe: "test", Seed: 1, Config: json.RawMessage(`{}`), Rules: rules}
	for _, c := range []struct {
		name   string
		schema Schema
		rows   []Row
	}{{"train", trainSchema, train}, {"eval", probeSchema, probes}} {
		entry := ConfigEntry{Name: c.name, Columns: c.schema.Columns}
		split := SplitEntry{Name: c.name, Rows: int64(len(c.rows))}
		for _, format := range []string{"parquet", "jsonl"} {
			for part := range parts {
				top := map[string]string{"parquet": "data", "jsonl": "jsonl"}[format]
				df, err := ds.Create(fmt.Sprintf("%s/%s/%s-%05d-of-%05d.%s", top, c.name, c.name, part, parts, format))
				if err != nil {
					t.Fatal(err)
				}
				var w interface {
					Write(Row) error
					Close() error
				}
				if format == "parquet" {
					w = NewParquetWriter(df, c.schema, "test", "0")
				} else {
					w = NewJSONLWriter(df, c.schema)
				}
				rows := c.rows[len(c.rows)*part/parts : len(c.rows)*(part+1)/parts]
				for _, r := range rows {
					w.Write(r)
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				size, sum, _ := df.Close()
				split.Files = append(split.Files, FileEntry{Path: df.Path, Format: format, Rows: int64(len(rows)), Bytes: size, SHA256: sum})
			}
		}
		entry.Splits = []SplitEntry{split}
		m.Configs = append(m.Configs, entry)
	}
	card, err := Card(m, CardInfo{Title: "ds", Summary: "test", Paper: "none", Command: "factforge generate test"})
	if err != nil {
		t.Fatal(err)
	}
	ds.WriteFile("README.md", card)
	m.Card = NewCardEntry(card)
	data, _ := json.MarshalIndent(m, "", "  ")
	if err := ds.Commit(data); err != nil {
		t.Fatal(err)
	}
	return ds.Dir
}

var (
	goodTrain = []Row{
		{s("1"), s("f1"), s("p2d"), s("p2d_only")},
		{s("2"), s("f2"), s("d2p"), s("d2p_only")},
		{s("3"), s("f3"), s("p2d"), s("both")},
		{s("4"), s("f3"), s("d2p"), s("both")},
	}
	goodProbes = []Row{{s("a"), s("f1"), s("d2p")}, {s("b"), s("f2"), s("p2d")}}
	trainKey   = Selection{Config: "train", Split: "train", Columns: []string{"fact_id", "direction"}}
	trainFacts = Selection{Config: "train", Split: "train", Columns: []string{"fact_id"}}
	testRules  = []Rule{
		{Kind: Unique, Doc: "unique ids", Left: Selection{Config: "train", Columns: []string{"id"}}},
		{Kind: Disjoint, Doc: "probes are not trained", Left: Selection{Config: "eval", Columns: []string{"fact_id", "direction"}}, Right: &trainKey},
		{Kind: Subset, Doc: "probed facts are in train", Left: Selection{Config: "eval", Columns: []string{"fact_id"}}, Right: &trainFacts},
		{Kind: AllowedValues, Doc: "p2d_only trains p2d", Values: []string{"p2d"},
			Left: Selection{Config: "train", Columns: []string{"direction"}, Where: []Condition{{Column: "group", Equals: "p2d_only"}}}},
		{Kind: ForbiddenValues, Doc: "no held-out fact f9", Values: []string{"f9"}, Left: Selection{Config: "train", Columns: []string{"fact_id"}}},
	}
)

func TestValidateAcceptsGoodDataset(t *testing.T) {
	dir := writeTestDataset(t, goodTrain, goodProbes, testRules)
	problems, err := Validate(context.Background(), dir)
	if err != nil || len(problems) > 0 {
		t.Fatalf("Validate = %v, %v", problems, err)
	}
}

func TestValidateFindsBrokenRules(t *testing.T) {
	row := func(id, fact, dir, group string) Row { return Row{s(id), s(fact), s(dir), s(group)} }
	tests := []struct {
		name   string
		train  []Row
		probes []Row
		want   string
	}{
		{"duplicate id", append(goodTrain[:3:3], row("1", "f3", "d2p", "both")), goodProbes, "unique ids (train/*(id); 1 offending keys, e.g. (1))"},
		{"reverse direction trained", append(goodTrain[:4:4], row("5", "f1", "d2p", "both")), goodProbes, "probes are not trained"},
		{"probed fact missing from train", goodTrain[1:], goodProbes, "probed facts are in train"},
		{"p2d_only trained in d2p", append(goodTrain[:4:4], row("5", "f4", "d2p", "p2d_only")), goodProbes, "p2d_only trains p2d"},
		{"forbidden value in train", append(goodTrain[:4:4], row("5", "f9", "p2d", "both")), goodProbes, "no held-out fact f9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems, err := Validate(context.Background(), writeTestDataset(t, tt.train, tt.probes, testRules))
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 1 || !strings.Contains(problems[0], tt.want) {
				t.Fatalf("problems = %q, want one naming %q", problems, tt.want)
			}
		})
	}
}

func TestValidateFindsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(dir string)
		want   string
	}{
		{"changed byte", func(dir string) {
			p := filepath.Join(dir, "jsonl/train/train-00000-of-00001.jsonl")
			b, _ := os.ReadFile(p)
			b[10] ^= 1
			os.WriteFile(p, b, 0o644)
		}, "sha256"},
		{"missing file", func(dir string) { os.Remove(filepath.Join(dir, "data/eval/eval-00000-of-00001.parquet")) }, "no such file"},
		{"extra file", func(dir string) { os.WriteFile(filepath.Join(dir, "data/train/extra.parquet"), nil, 0o644) }, "not listed"},
		{"formats disagree", func(dir string) {
			p := filepath.Join(dir, "jsonl/train/train-00000-of-00001.jsonl")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), `"f2"`, `"f7"`, 1)), 0o644)
		}, "differ at row 1"},
		{"manifest count wrong", func(dir string) {
			p := filepath.Join(dir, ManifestName)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), `"rows": 2`, `"rows": 3`, 1)), 0o644)
		}, "manifest says 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTestDataset(t, goodTrain, goodProbes, testRules)
			tt.tamper(dir)
			problems, err := Validate(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(problems, "\n"), tt.want) {
				t.Fatalf("problems = %q, want one naming %q", problems, tt.want)
			}
		})
	}
}

func TestValidateWithoutManifest(t *testing.T) {
	dir := writeTestDataset(t, goodTrain, goodProbes, testRules)
	os.Remove(filepath.Join(dir, ManifestName))
	if _, err := Validate(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "unfinished") {
		t.Fatalf("Validate without a manifest: %v", err)
	}
}

func TestCardHeaderListsEveryConfigAndSplit(t *testing.T) {
	dir := writeTestDataset(t, goodTrain, goodProbes, testRules)
	card, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	parts := strings.SplitN(string(card), "---\n", 3)
	if len(parts) != 3 || parts[0] != "" {
		t.Fatalf("card does not open with a YAML header:\n%s", card)
	}
	var h cardHeader
	if err := yaml.Unmarshal([]byte(parts[1]), &h); err != nil {
		t.Fatal(err)
	}
	if len(h.Configs) != 2 || h.Configs[0].Name != "train" || !h.Configs[0].Default || h.Configs[1].Name != "eval" {
		t.Fatalf("configs %+v", h.Configs)
	}
	for _, c := range h.Configs {
		for _, f := range c.DataFiles {
			matches, _ := filepath.Glob(filepath.Join(dir, f.Path))
			if len(matches) != 1 || !strings.HasSuffix(matches[0], ".parquet") {
				t.Errorf("config %s split %s: pattern %s matches %v", c.Name, f.Split, f.Path, matches)
			}
		}
	}
	if h.DatasetInfo[0].Splits[0].NumExamples != int64(len(goodTrain)) {
		t.Errorf("num_examples %d", h.DatasetInfo[0].Splits[0].NumExamples)
	}
}

func TestCreateDatasetRefusesBadTargets(t *testing.T) {
	out := t.TempDir()
	file := filepath.Join(out, "file")
	os.WriteFile(file, nil, 0o644)
	os.MkdirAll(filepath.Join(out, "taken"), 0o755)
	tests := []struct{ out, name, want string }{
		{out, "../x", ".."},
		{out, "a/b", "separator"},
		{out, "", "empty"},
		{out, ".hidden", "start with"},
		{file, "x", "is a file"},
		{out, "taken", "--force"},
		{filepath.Join(file, "sub"), "x", "is a file"},
	}
	for _, tt := range tests {
		_, err := CreateDataset(tt.out, tt.name, false)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CreateDataset(%s, %q) = %v, want an error naming %q", tt.out, tt.name, err, tt.want)
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 2 {
		t.Errorf("refused datasets left files behind: %v", entries)
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "new")
	ds, err := CreateDataset(out, "x", false)
	if err != nil {
		t.Fatal(err)
	}
	df, _ := ds.Create("data/train/train-00000-of-00001.parquet")
	df.Write([]byte("partial"))
	df.Close()
	ds.Abort()
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("aborted dataset left %s behind", out)
	}
}

func TestNotContainedRule(t *testing.T) {
	train := Selection{Config: "train", Columns: []string{"group"}}
	for _, tt := range []struct {
		name string
		rule Rule
		want string
	}{
		{"holds", Rule{Kind: NotContained, Doc: "facts not in groups", Left: Selection{Config: "eval", Columns: []string{"fact_id"}}, Right: &train}, ""},
		{"broken", Rule{Kind: NotContained, Doc: "directions not in groups", Left: Selection{Config: "eval", Columns: []string{"direction"}}, Right: &train}, "directions not in groups"},
		// no_phrase: words in a row, case and punctuation aside; a part of a word is no phrase.
		{"no phrase holds", Rule{Kind: NoPhrase, Doc: "no greeting in a group", Values: []string{"Nothing!", "onl", "Hi :)"}, Left: Selection{Config: "train", Columns: []string{"group"}}}, ""},
		{"no phrase broken", Rule{Kind: NoPhrase, Doc: "no both in a group", Values: []string{"BOTH!"}, Left: Selection{Config: "train", Columns: []string{"group"}}}, `both in "both"`},
		{"no phrase of two words", Rule{Kind: NoPhrase, Doc: "no p2d only", Values: []string{"P2D, only."}, Left: Selection{Config: "train", Columns: []string{"group"}}}, "p2d only in"},
		{"count holds", Rule{Kind: Count, Doc: "two p2d rows", Values: []string{"2"}, Left: Selection{Config: "train", Columns: []string{"id"}, Where: []Condition{{Column: "direction", Equals: "p2d"}}}}, ""},
		{"count broken", Rule{Kind: Count, Doc: "three p2d rows", Values: []string{"3"}, Left: Selection{Config: "train", Columns: []string{"id"}, Where: []Condition{{Column: "direction", Equals: "p2d"}}}}, "2 rows, want 3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			problems, err := Validate(context.Background(), writeTestDataset(t, goodTrain, goodProbes, []Rule{tt.rule}))
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(problems, "\n")
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("problems %q, want %q", got, tt.want)
			}
		})
	}
}

// Rules read a split across all its files: what breaks them may be in the last shard only.
func TestRulesReadEveryShard(t *testing.T) {
	train := Selection{Config: "train", Columns: []string{"group"}}
	row := func(id, fact, dir, group string) Row { return Row{s(id), s(fact), s(dir), s(group)} }
	for _, tt := range []struct {
		name        string
		train       []Row
		probes      []Row
		rule        Rule
		want        string
		wantOffense string
	}{
		{"unique", append(goodTrain[:4:4], row("5", "f3", "p2d", "both"), row("2", "f3", "p2d", "both")), goodProbes,
			testRules[0], "unique ids", "e.g. (2)"},
		{"not contained", append(goodTrain[:4:4], row("5", "f3", "p2d", "near-f2")), goodProbes,
			Rule{Kind: NotContained, Doc: "facts not in groups", Left: Selection{Config: "eval", Columns: []string{"fact_id"}}, Right: &train},
			"facts not in groups", "1 offending keys, e.g. (f2)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			problems, err := Validate(context.Background(), writeShardedTestDataset(t, 3, tt.train, tt.probes, []Rule{tt.rule}))
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(problems, "\n")
			if !strings.Contains(got, tt.want) || !strings.Contains(got, tt.wantOffense) {
				t.Fatalf("problems %q, want %q with %q", got, tt.want, tt.wantOffense)
			}
		})
	}
}

func TestStats(t *testing.T) {
	dir := writeTestDataset(t, append(goodTrain[:4:4], Row{s("5"), s("f3"), s("p2d"), s("both")}), goodProbes, testRules)
	_, splits, err := Stats(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	train := splits[0]
	if train.Rows != 5 || train.Values["direction"]["p2d"] != 3 || train.Values["group"]["both"] != 3 || train.Distinct["fact_id"] != 3 {
		t.Fatalf("stats %+v", train)
	}
	if _, ok := train.Values["id"]; ok {
		t.Fatal("ids counted as values")
	}
	if got := train.Summary(); !strings.Contains(got, "direction: p2d 3, d2p 2") || !strings.Contains(got, "train/train: 5 rows") {
		t.Fatalf("summary:\n%s", got)
	}
}

// countdownContext is a live context whose Err reports context.Canceled from its limit-th call on,
// as if cancelled at that check; calls counts every call.
type countdownContext struct {
	context.Context
	limit int64
	calls atomic.Int64
}

func (c *countdownContext) Err() error {
	if c.calls.Add(1) > c.limit {
		return context.Canceled
	}
	return nil
}

// writeCancelTestDataset writes a dataset of a few thousand rows in parts files per format, with a
// duplicated id and a NotContained rule so that Validate makes both second passes.
func writeCancelTestDataset(t *testing.T, parts int) string {
	t.Helper()
	var train []Row
	for i := range cancelCheckRows + 100 { // a check inside every loop over rows
		train = append(train, Row{s(fmt.Sprint(i)), s(fmt.Sprintf("f%d", i%50)), s("p2d"), s("g")})
	}
	train = append(train, Row{s("7"), s("f7"), s("d2p"), s("g")})
	groups := Selection{Config: "train", Columns: []string{"group"}}
	rules := []Rule{
		testRules[0],
		{Kind: NotContained, Doc: "facts not in groups", Left: Selection{Config: "eval", Columns: []string{"fact_id"}}, Right: &groups},
	}
	return writeShardedTestDataset(t, parts, train, goodProbes, rules)
}

// Validate and Stats stop with an error wrapping context.Canceled when their context is cancelled,
// before they start or at any of their checks, and report no problems or figures then; with a live
// context they read the whole dataset.
func TestCancelStopsValidateAndStats(t *testing.T) {
	sharded := writeCancelTestDataset(t, 3)
	for _, tt := range []struct {
		name string
		run  func(ctx context.Context) (found int, err error)
		want int // problems or splits with a live context
	}{
		{"validate", func(ctx context.Context) (int, error) {
			problems, err := Validate(ctx, sharded)
			if err == nil && (len(problems) != 1 || !strings.Contains(problems[0], "unique ids")) {
				return 0, fmt.Errorf("problems %q, want the duplicated id only", problems)
			}
			return len(problems), err
		}, 1},
		{"stats", func(ctx context.Context) (int, error) {
			_, splits, err := Stats(ctx, sharded) // every shard's file, with a check between files
			if err == nil && splits[0].Rows != cancelCheckRows+101 {
				return 0, fmt.Errorf("stats %+v", splits[0])
			}
			return len(splits), err
		}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if found, err := tt.run(context.Background()); err != nil || found != tt.want {
				t.Fatalf("live context: %d, %v; want %d", found, err, tt.want)
			}
			cancelled, cancel := context.WithCancel(context.Background())
			cancel()
			if found, err := tt.run(cancelled); !errors.Is(err, context.Canceled) || found != 0 {
				t.Fatalf("cancelled context: %d, %v; want context.Canceled", found, err)
			}
			// Count the checks of a whole run, then cancel at each one in turn.
			live := &countdownContext{Context: context.Background(), limit: math.MaxInt64}
			if _, err := tt.run(live); err != nil {
				t.Fatal(err)
			}
			checks := live.calls.Load()
			t.Logf("%d checks of the context", checks)
			if checks < 4 {
				t.Fatalf("only %d checks of the context", checks)
			}
			for limit := range checks {
				ctx := &countdownContext{Context: context.Background(), limit: limit}
				found, err := tt.run(ctx)
				if !errors.Is(err, context.Canceled) || found != 0 {
					t.Fatalf("cancelled at check %d of %d: %d, %v; want context.Canceled", limit+1, checks, found, err)
				}
				if extra := ctx.calls.Load() - limit; extra > 2 {
					t.Fatalf("cancelled at check %d of %d: %d more checks, want it to stop at once", limit+1, checks, extra-1)
				}
			}
		})
	}
}
