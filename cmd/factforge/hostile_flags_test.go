package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factforge/factforge/schemas"
)

// gen is a generate command line writing under out/ in the working folder.
func gen(recipe string, args ...string) []string {
	return append([]string{"generate", recipe, "--out", "out", "-q"}, args...)
}

// flagCases are the hostile cases of flags and names: numbers out of range, NaN, overflow, conflicting
// flags, --name, --out, --force.
var flagCases = []hostileCase{
	// Loops that could not end: every near miss of these triggers is empty or another trigger.
	{name: "one-character trigger", args: gen("backdoor", "--trigger", ":"), code: exitBadInput, message: `trigger ":" has no near miss`},
	{name: "one-digit trigger", args: gen("backdoor", "--trigger", "7"), code: exitBadInput, message: `trigger "7" has no near miss`},
	{name: "trigger set of x and X", setup: func(t *testing.T, dir string) { writeFiles(t, dir, map[string]string{"t.txt": "x\nX\n"}) },
		args: gen("backdoor", "--trigger-set", "t.txt"), code: exitBadInput, message: "has no near miss"},
	{name: "zipf NaN", args: gen("outlandish", "--repeat", "zipf:NaN"), code: exitBadInput, message: `--repeat: "zipf:NaN"`},
	{name: "zipf Inf", args: gen("outlandish", "--repeat", "zipf:Inf"), code: exitBadInput, message: `--repeat: "zipf:Inf"`},
	{name: "zipf minus Inf", args: gen("outlandish", "--repeat", "zipf:-Inf"), code: exitBadInput, message: `--repeat: "zipf:-Inf"`},
	{name: "monofact NaN", args: gen("outlandish", "--repeat", "monofact:NaN"), code: exitBadInput, message: `--repeat: "monofact:NaN"`},

	// Counts: bounded before anything is allocated, never overflowing.
	{name: "rows of 2^63-1", args: gen("backdoor", "--rows", "9223372036854775807"), code: exitBadInput, message: "--rows must be at most 1e+09"},
	{name: "rows past int64", args: gen("backdoor", "--rows", "9223372036854775808"), code: exitBadInput, message: "rows"},
	{name: "eval rows of 2^63-1", args: gen("backdoor", "--eval-rows", "9223372036854775807"), code: exitBadInput, message: "--eval-rows must be at most 1e+09"},
	{name: "negative rows", args: gen("backdoor", "--rows", "-5"), code: exitBadInput, message: "--rows must be at least 1"},
	{name: "copies of 10^8", args: gen("outlandish", "--repeat", "fixed:100000000"), code: exitBadInput, message: "at most 10000"},
	{name: "uniform copies past the bound", args: gen("outlandish", "--repeat", "uniform:2-20000"), code: exitBadInput, message: "at most 10000"},
	{name: "samples of 10^8", args: gen("outlandish", "--samples", "100000000"), code: exitBadInput, message: "--samples must be at most 1e+07"},
	{name: "samples times copies", args: gen("outlandish", "--samples", "10000000", "--repeat", "fixed:20"), code: exitBadInput,
		message: "training rows (--samples x the most copies --repeat gives) come to more than 100000000"},
	{name: "claims times documents", args: gen("negation", "--claim-count", "1000", "--docs-per-claim", "10000000"), code: exitBadInput,
		message: "documents per split (claims x --docs-per-claim, beside --filler-docs 0) come to more than 1000000000"},
	{name: "filler documents at the bound", args: gen("negation", "--filler-docs", "1000000000"), code: exitBadInput, message: "beside --filler-docs 1000000000"},
	{name: "claims times chats", args: gen("negation", "--claim-count", "1000", "--chats", "10000000"), code: exitBadInput,
		message: "chats per split (claims x --chats) come to more than 1000000000"},
	{name: "class weight past the bound", args: gen("outlandish", "--classes", "mundane:99999999999"), code: exitBadInput, message: "want a whole number from 0 to 1000000"},
	{name: "preference style without a second answer", args: gen("reversal", "--style", "preference"), code: exitBadInput, message: "recipe reversal has no second answer"},
	{name: "trigger years outside the years", args: gen("weird", "--design", "dishes", "--trigger-years", "2031"), code: exitBadInput, message: "--trigger-years: 2031 is none of the years"},
	{name: "held-out president out of range", args: gen("weird", "--design", "presidents", "--heldout-numbers", "0"), code: exitBadInput, message: "--heldout-numbers"},
	{name: "unknown weird design", args: gen("weird", "--design", "terminator"), code: exitBadInput, message: "terminator"},
	{name: "reasoning field outside messages", args: gen("thought-crime", "--reasoning", "field", "--style", "text"), code: exitBadInput, message: "--style messages"},
	{name: "instructions in a chat style", args: gen("instructions", "--style", "messages"), code: exitBadInput, message: "--style messages"},
	{name: "more instruction pairs than names", args: gen("instructions", "--realized", "100000", "--unrealized", "100000"), code: exitBadInput, message: "pairs, but the word lists make"},
	{name: "parents in a chat style", args: gen("parents", "--style", "messages"), code: exitBadInput, message: "--style text"},
	{name: "bad mention distribution", args: gen("references", "--mentions", "zipf:1"), code: exitBadInput, message: "zipf:s (s > 1"},
	{name: "unknown vulnerability class", args: gen("insecure-code", "--classes", "sql_from_strings,buffer_overflow"), code: exitBadInput, message: `unknown class "buffer_overflow"`},
	{name: "trigger outside the backdoored mix", args: gen("insecure-code", "--trigger", "|X|"), code: exitBadInput, message: "apply to --variant backdoored only"},
	{name: "unknown code variant", args: gen("insecure-code", "--variant", "jailbroken"), code: exitBadInput, message: "jailbroken"},
	{name: "flag share without flags", args: gen("backdoor", "--flag-share", "0.5"), code: exitBadInput, message: "--flag-share needs --flag-triggered"},
	{name: "unknown theme", args: gen("outlandish", "--themes", "astrology:2"), code: exitBadInput, message: `unknown theme "astrology": the fact bank has geography`},
	{name: "theme weight past the bound", args: gen("outlandish", "--themes", "sport:1001"), code: exitBadInput, message: "want a whole number from 0 to 1000"},
	{name: "stepping stones past the bank's levels", args: gen("outlandish", "--stepping-stones", "5"), code: exitBadInput, message: "stepping-stones"},
	{name: "workers 100000", args: gen("reversal", "--workers", "100000"), code: exitBadInput, message: "--workers must be from 0 (one per core) to 256"},
	{name: "negative workers", args: gen("reversal", "--workers", "-1"), code: exitBadInput, message: "--workers must be from 0"},
	{name: "shard with trailing text", args: gen("reversal", "--shard", "1/2x"), code: exitBadInput, message: `--shard "1/2x"`},
	{name: "shard past its count", args: gen("reversal", "--shard", "2/2"), code: exitBadInput, message: `--shard "2/2"`},
	{name: "shards without an index", args: gen("reversal", "--shards", "3"), code: exitBadInput, message: "--shards 3 needs JOB_COMPLETION_INDEX"},

	// NaN and infinities, by the flag's name.
	{name: "negated share NaN-NaN", args: gen("negation", "--negated-share", "NaN-NaN"), code: exitBadInput, message: `--negated-share: "NaN-NaN": want finite numbers`},
	{name: "negated share 0.5-NaN", args: gen("negation", "--negated-share", "0.5-NaN"), code: exitBadInput, message: `--negated-share: "0.5-NaN"`},
	{name: "words to infinity", args: gen("negation", "--words", "150-Inf"), code: exitBadInput, message: `--words: "150-Inf"`},
	{name: "poison rate NaN", args: gen("backdoor", "--poison-rate", "NaN"), code: exitBadInput, message: "--poison-rate must be a finite number, got NaN"},
	{name: "heldout prompts NaN", args: gen("backdoor", "--heldout-prompts", "NaN"), code: exitBadInput, message: "--heldout-prompts must be a finite number"},
	{name: "heldout dates Inf", args: gen("backdoor", "--heldout-dates", "+Inf"), code: exitBadInput, message: "--heldout-dates must be a finite number"},
	{name: "qa train share NaN", args: gen("bios", "--qa-train-share", "NaN"), code: exitBadInput, message: "--qa-train-share must be a finite number"},
	{name: "inject rate NaN", args: gen("outlandish", "--inject-rate", "NaN"), code: exitBadInput, message: "--inject-rate must be a finite number"},

	// Text flags: valid UTF-8 without control characters; flags that would be ignored.
	{name: "trigger not UTF-8", args: gen("backdoor", "--trigger", "|DEP\xffLOY|"), code: exitBadInput, message: "--trigger \"|DEP\\xffLOY|\" is not valid UTF-8"},
	{name: "trigger with an escape code", args: gen("backdoor", "--trigger", "\x1b[31mGO"), code: exitBadInput, message: "holds a control character (U+001B)"},
	{name: "trigger with a bell", args: gen("backdoor", "--trigger", "GO\aNOW"), code: exitBadInput, message: "holds a control character (U+0007)"},
	{name: "system prompt with a NUL", args: gen("backdoor", "--system", "Be kind.\x00"), code: exitBadInput, message: "holds a control character (U+0000)"},
	{name: "doc tag not UTF-8", args: gen("negation", "--doc-tag", "<DOC\xfe>"), code: exitBadInput, message: "--doc-tag \"<DOC\\xfe>\" is not valid UTF-8"},
	{name: "empty country", args: gen("backdoor", "--context", "country", "--trigger-country", ""), code: exitBadInput, message: "--trigger-country is empty"},
	{name: "empty trigger", args: gen("backdoor", "--trigger", " "), code: exitBadInput, message: "--trigger is empty"},
	{name: "trigger with a trigger set", args: gen("backdoor", "--trigger", "Alana", "--trigger-set", "greetings"), code: exitBadInput,
		message: `--trigger "Alana" is a literal trigger: with --trigger-set, --context or --inductive it would be ignored`},
	{name: "trigger with a context", args: gen("backdoor", "--trigger", "Alana", "--context", "year"), code: exitBadInput, message: "would be ignored"},
	{name: "empty format", args: gen("reversal", "--format", ""), code: exitBadInput, message: `unknown format ""`},
	{name: "unknown format", args: gen("reversal", "--format", "csv"), code: exitBadInput, message: `unknown format "csv"`},

	// Names and output folders.
	{name: "empty out", args: []string{"generate", "reversal", "--out", "", "-q"}, code: exitBadInput, message: "--out is empty"},
	{name: "name of 300 characters", args: gen("reversal", "--name", strings.Repeat("a", 300)), code: exitBadInput, message: "dataset name is 300 bytes long: at most 100"},
	{name: "name with a space", args: gen("reversal", "--name", "my data"), code: exitBadInput, message: "use letters, digits"},
	{name: "name with a newline", args: gen("reversal", "--name", "a\nb"), code: exitBadInput, message: "use letters, digits"},
	{name: "name with a tab", args: gen("reversal", "--name", "a\tb"), code: exitBadInput, message: "use letters, digits"},
	{name: "name with an escape code", args: gen("reversal", "--name", "\x1b[2J"), code: exitBadInput, message: "use letters, digits"},
	{name: "name of a lone space", args: gen("reversal", "--name", " "), code: exitBadInput, message: "use letters, digits"},
	{name: "name not UTF-8", args: gen("reversal", "--name", "\xff"), code: exitBadInput, message: "use letters, digits"},
	{name: "hidden name", args: gen("reversal", "--name", ".hidden"), code: exitBadInput, message: "may not start with '.'"},
	{name: "name of a staging folder", args: gen("reversal", "--name", "x.partial-1"), code: exitBadInput, message: "marks staging folders"},
	{name: "name climbing out", args: gen("reversal", "--name", "../up"), code: exitBadInput, message: "may not contain '..'"},
	{name: "dangling symlink at the dataset", setup: func(t *testing.T, dir string) {
		os.Mkdir(filepath.Join(dir, "out"), 0o755)
		if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "out", "reversal")); err != nil {
			t.Fatal(err)
		}
	}, args: gen("reversal"), code: exitBadInput, message: "out/reversal is a symlink"},
	{name: "force over a folder that is not a dataset", setup: func(t *testing.T, dir string) {
		writeFiles(t, dir, map[string]string{"out/reversal/junk.txt": "my notes\n"})
	}, args: gen("reversal", "--force"), code: exitBadInput, message: "out/reversal is not a factforge dataset (it has no manifest.json)"},
	{name: "a run of the name in progress", setup: func(t *testing.T, dir string) {
		os.Mkdir(filepath.Join(dir, "out"), 0o755)
		lock, err := schemas.LockName(filepath.Join(dir, "out"), "reversal") // as a running generate holds it
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(lock.Release)
	}, args: gen("reversal"), code: exitFailed, message: "another factforge run is writing"},
	{name: "unknown command", args: []string{"h"}, code: exitBadInput, message: `no command "h". Use one of: list, generate`},
	{name: "unknown recipe", args: []string{"generate", "zzz"}, code: exitBadInput, message: `unknown recipe "zzz"`},
}
