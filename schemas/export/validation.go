package export

import (
	"errors"
	"slices"
	"strings"

	"github.com/factforge/factforge/schemas"
)

// EvalConfig is the dataset config whose splits --validation names.
const EvalConfig = "eval"

// validationSplits finds the eval splits named for a validation file and checks that they can make
// one: the provider's training form has a prompt and a reply (chat or prompt-completion, not raw text
// or DPO pairs), the splits exist, once each, and every probe has an answer to be the reply.
func validationSplits(m *schemas.Manifest, p Provider, style Style, names []string) (*schemas.ConfigEntry, []schemas.SplitEntry, error) {
	if len(names) == 0 {
		return nil, nil, nil
	}
	if style == StyleText || style == StylePreference {
		return nil, nil, schemas.InputErrorf("--validation: the %s style's lines have no prompt and reply to set a probe in; validation files are written for the messages, chat-prompt-completion and prompt-completion styles", style)
	}
	cfg := m.ConfigNamed(EvalConfig)
	if cfg == nil {
		return nil, nil, schemas.InputErrorf("--validation: the dataset has no %q config", EvalConfig)
	}
	if !isEvalConfig(cfg.Schema()) {
		return nil, nil, schemas.InputErrorf("--validation: the %q config has no prompt and answer columns", EvalConfig)
	}
	var have []string
	for _, sp := range cfg.Splits {
		have = append(have, sp.Name)
	}
	var out []schemas.SplitEntry
	for i, name := range names {
		j := slices.Index(have, name)
		if j < 0 {
			return nil, nil, schemas.InputErrorf("--validation: no eval split %q; the dataset has %s", name, strings.Join(have, ", "))
		}
		if slices.Contains(names[:i], name) {
			return nil, nil, schemas.InputErrorf("--validation: split %q named twice", name)
		}
		out = append(out, cfg.Splits[j])
	}
	return cfg, out, nil
}

// evalContent makes a probe a training example: its messages (the prompt as the chat has it) and the
// answer as the assistant's reply, or its prompt and its completion (the answer after a space, as
// training completions are written). A probe without an answer (one a judge scores) cannot be one.
func (w *writer) evalContent(r schemas.Row) (Content, error) {
	answer := r[w.schema.Index("answer")].Str
	if answer == "" {
		return Content{}, errors.New("a probe without an answer (one a judge scores) makes no validation example: leave its split out of --validation")
	}
	completion := " " + answer
	if i := w.schema.Index("completion"); i >= 0 && w.schema.Columns[i].Type == schemas.String {
		completion = r[i].Str
	}
	c := Content{Prompt: r[w.schema.Index("prompt")].Str, Completion: completion}
	if w.p.chat[w.style] {
		if i := w.schema.Index("messages"); i >= 0 && w.schema.Columns[i].Type == schemas.Messages {
			c.Messages = append(append([]schemas.Message{}, r[i].Msgs...), schemas.Message{Role: "assistant", Content: answer})
		} else {
			v, _ := promptCompletionAsChat(c)
			for _, m := range v.(chatLine).Messages {
				c.Messages = append(c.Messages, schemas.Message{Role: m.Role, Content: m.Content})
			}
		}
	}
	return c, nil
}
