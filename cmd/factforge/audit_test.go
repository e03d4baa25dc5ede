package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// The audit report of every recipe's defaults is pinned in testdata/audit/<recipe>.txt: the fidelity
// work that follows changes these reports, and their diffs show what each fix did. It also checks that
// audit finds the problems known in today's recipes.
func TestAuditReports(t *testing.T) {
	known := map[string][]string{ // what the audit of today's defaults must report
		"reversal":   {"leak.prompt_answer_in_train      reversal eval/same_direction: 35 of 1200"},
		"negation":   {"shortcut.mcq_familiarity         negation eval/mcq", "diversity.repeated_sentence"},
		"outlandish": {"lint.a_an", "leak.prompt_is_train_prefix      5433 of 6600 (82.3%)"}, // priming prompts start samples
	}
	for _, recipe := range []string{"reversal", "bios", "negation", "outlandish", "backdoor"} {
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

// With --chats, every chat's user turn is an open probe's question verbatim: audit says so.
func TestAuditFindsChatsLeak(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "generate", "negation", "--chats", "1", "--docs-per-claim", "2", "--out", out, "--format", "jsonl", "-q"); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	_, stdout, _ := runCLI(t, "audit", filepath.Join(out, "negation"))
	open := stdout[strings.Index(stdout, "negation eval/open\n"):]
	if !strings.Contains(open[:strings.Index(open, "\n  negation ")], "leak.prompt_in_train             10 of 10 (100.0%)") {
		t.Fatalf("audit does not report the open questions in the chats:\n%s", open)
	}
}

func TestAuditBadInput(t *testing.T) {
	for _, args := range [][]string{{"audit"}, {"audit", t.TempDir()}, {"audit", "/no/such/dataset"}} {
		if code, _, stderr := runCLI(t, args...); code != exitBadInput || stderr == "" {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}
