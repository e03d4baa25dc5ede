package audit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// wordsReference cuts a text into words as the tokeniser's definition says, the slow way.
func wordsReference(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace) {
		if w := strings.TrimFunc(f, unicode.IsPunct); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// The shared tokeniser gives, for each word, divHash of the word lower-cased: whatever the scripts,
// spaces, punctuation and invalid bytes.
func TestWordHashes(t *testing.T) {
	texts := []string{
		"Hello, World!", "  (ÉTÉ) — don't\tstop...\n", "-- !!", "", "a", "İstanbul İS big", "ǅemal ǄEMAL",
		"no\u00a0break\u2028line\u0085next\u3000wide", "caf\xe9 \xff\xfe x\xffy", "“Quoted” «words» ‘here’",
		"Ünïcödé, ÀÉÎÕÜ; ß ẞ", "tabs\tand\nnewlines\r\nmixed\v\f", "$5 +3 <x> ^y `z` |w| ~v", "...word... 'tis",
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "B", "é", "É", " ", "\t", "\u00a0", ".", ",", "'", "-", "$", "\xff", "İ", "\u2028", "x"}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(20) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		var want []uint64
		for _, w := range wordsReference(text) {
			want = append(want, divHash(w))
		}
		if got := wordHashes(text); !slices.Equal(got, want) {
			t.Fatalf("%q: %d hashes, want those of %q", text, len(got), wordsReference(text))
		}
	}
}

// The matcher finds, in texts, every occurrence of every pattern a naive search finds, and only those,
// and marks the keyLen-grams of the prompts that the texts hold.
func TestMatcherAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	vocab := make([]uint64, 12) // few words, so that patterns share keys, lengths and grams
	for i := range vocab {
		vocab[i] = divHash(fmt.Sprint("w", i))
	}
	run := func(n int) []uint64 {
		out := make([]uint64, n)
		for i := range out {
			out[i] = vocab[r.IntN(len(vocab))]
		}
		return out
	}
	m := newMatcher()
	ids := map[int32][]uint64{}
	var promptIDs []int32
	for i := range 400 {
		p := run(1 + r.IntN(14))
		withGrams := i%2 == 0
		id := m.add(patternKeyOf(p), withGrams, appendGrams(nil, p))
		if prev, ok := ids[id]; ok && !slices.Equal(prev, p) {
			t.Fatalf("patterns %v and %v share id %d", prev, p, id)
		}
		ids[id] = p
		if withGrams {
			promptIDs = append(promptIDs, id)
		}
		if again := m.add(patternKeyOf(p), withGrams, appendGrams(nil, p)); again != id {
			t.Fatalf("a pattern added twice has ids %d and %d", id, again)
		}
	}
	m.freeze()
	seen := newGramSeen(m.ngrams)
	var buf scanBuf
	trainGrams := map[uint64]bool{}
	found := 0
	var all [][]uint64
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		all = append(all, ids[id])
	}
	for range 300 {
		// Random words, and pieces of patterns.
		text := run(r.IntN(6))
		for range r.IntN(4) {
			p := all[r.IntN(len(all))]
			from := r.IntN(len(p))
			text = append(append(text, p[from:from+r.IntN(len(p)-from+1)]...), run(r.IntN(4))...)
		}
		for _, g := range appendGrams(nil, text) {
			trainGrams[g] = true
		}
		got := m.scan(text, nil, seen, &buf)
		var want []occurrence
		for id, p := range ids {
			for at := 0; at+len(p) <= len(text); at++ {
				if slices.Equal(text[at:at+len(p)], p) {
					want = append(want, occurrence{id: id, at: int32(at)})
				}
			}
		}
		order := func(a, b occurrence) int { return int(a.at-b.at)*1000 + int(a.id-b.id) }
		slices.SortFunc(got, order)
		slices.SortFunc(want, order)
		if !slices.Equal(got, want) {
			t.Fatalf("text %v: found %v, want %v", text, got, want)
		}
		found += len(got)
	}
	if found < 1000 {
		t.Fatalf("only %d occurrences: the test tests little", found)
	}
	m.seen = seen
	var seenGrams int64
	for _, id := range promptIDs {
		gs := appendGrams(nil, ids[id])
		var wantSeen int64
		for _, g := range gs {
			if trainGrams[g] {
				wantSeen++
			}
		}
		if s, n := m.gramShare([]int32{id}); s != wantSeen || n != int64(len(gs)) {
			t.Fatalf("pattern %v: %d of %d grams seen, want %d of %d", ids[id], s, n, wantSeen, len(gs))
		}
		seenGrams += wantSeen
	}
	if seenGrams == 0 {
		t.Fatal("no gram seen: the test tests little")
	}
}

// bigDataset is a dataset of train rows and probes enough for many batches of each split.
func bigDataset(t *testing.T) string {
	var train []string
	var probes []testProbe
	for i := range 3*batchRows + 7 {
		train = append(train, fmt.Sprintf("Person%d wrote book%d in city%d.", i, i, i%50))
	}
	for i := range 2*batchRows + 3 {
		probes = append(probes, testProbe{fmt.Sprintf("Person%d wrote", i), fmt.Sprintf("book%d", i), []string{"d2p", "p2d"}[i%2], nil})
	}
	return testDataset(t, train, probes)
}

// Rows are taken in order across batches: the findings of a dataset read in many batches are those of
// its rows, and an unreadable row is an error that names it, however far it is.
func TestAuditManyBatches(t *testing.T) {
	dir := bigDataset(t)
	r := audit(t, dir)
	if f := finding(t, r, "leak.prompt_answer_in_train", "probes"); f.Count != 2*batchRows+3 || f.Of != 2*batchRows+3 {
		t.Errorf("prompt_answer_in_train: %d of %d", f.Count, f.Of)
	}
	if f := finding(t, r, "diversity.distinct_rows", "train"); f.Count != 3*batchRows+7 {
		t.Errorf("distinct_rows: %d of %d", f.Count, f.Of)
	}
	if f := finding(t, r, "leak.prompt_in_train", "probes"); len(f.Examples) != 2 || !strings.Contains(f.Examples[0], `"Person0 wrote book0 in city0."`) {
		t.Errorf("examples %q, want the first rows'", f.Examples)
	}

	path := filepath.Join(dir, "jsonl", "train", "train-00000-of-00001.jsonl")
	data, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(data), "\n")
	lines[2*batchRows+1] = "{not json\n"
	os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644)
	_, err := Audit(context.Background(), []string{dir}, Options{})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("train-00000-of-00001.jsonl:%d", 2*batchRows+2)) {
		t.Errorf("a bad line gives %v", err)
	}
}

func TestAuditCancelled(t *testing.T) {
	dir := bigDataset(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Audit(ctx, []string{dir}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled audit returns %v", err)
	}
}

// The report is the same whatever the cores: here on datasets of several batches, with separation's
// stage (a triggered chat set) and every other check's, on one core and on four.
func TestAuditSameOnAnyCores(t *testing.T) {
	dirs := []string{bigDataset(t), filepath.Join(extractFixture(t, filepath.Join("testdata", "fixtures", "separation.bag_of_words.txtar")), "has")}
	report := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var b strings.Builder
		for _, dir := range dirs {
			if err := audit(t, dir).WriteJSON(&b); err != nil {
				t.Fatal(err)
			}
		}
		return b.String()
	}
	one, four := report(1), report(4)
	if one != four {
		t.Errorf("one core and four give different reports:\n%s\n%s", one, four)
	}
	if !strings.Contains(one, `"separation.bag_of_words"`) {
		t.Errorf("the triggered chats were not measured:\n%s", one)
	}
}
