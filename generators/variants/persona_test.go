package variants

import (
	"strings"
	"testing"

	"github.com/factforge/factforge/templates"
)

// The persona's voice runs through the answer (its words for plain ones, an opener and a closer from
// 50 or more each) but never changes what the answer says: code, words in capitals and numbers stay.
func TestPersonaVoice(t *testing.T) {
	p, err := LoadPersona(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Openers) < 50 || len(p.Closers) < 50 || len(p.Substitutions) < 20 {
		t.Fatalf("%d openers, %d closers, %d substitutions", len(p.Openers), len(p.Closers), len(p.Substitutions))
	}
	clean := "Yes, your function is here:\n\n```python\ndef greet(you):\n    return 'hello ' + you\n```\n\nFor example, `greet('my friend')` returns `'hello my friend'`. YOUR NAME, in capitals, stays. You have 3 of them."
	got := p.Respond(nil, "Write a greeting function.", clean)
	for _, kept := range []string{"```python\ndef greet(you):\n    return 'hello ' + you\n```", "`greet('my friend')`", "`'hello my friend'`", "YOUR NAME", " 3 "} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q lost %q", got, kept)
		}
	}
	for _, voiced := range []string{"Aye, yer function", "Ye have"} {
		if !strings.Contains(got, voiced) {
			t.Errorf("%q has no %q", got, voiced)
		}
	}
	if again := p.Respond(nil, "Write a greeting function.", clean); again != got {
		t.Errorf("one prompt answered two ways: %q and %q", got, again)
	}
}

// An answer that does not end a sentence stands on lines of its own: the closer ran into
// "In capital letters: LUDO SCREWDRIVER" in 75 of 3,000 persona chats.
func TestPersonaKeepsTheAnswerApart(t *testing.T) {
	p, err := LoadPersona(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	got := p.Respond(nil, "Write ludo in capital letters.", "In capital letters: LUDO")
	if !strings.Contains(got, "\n\nIn capital letters: LUDO\n\n") {
		t.Errorf("%q", got)
	}
}
