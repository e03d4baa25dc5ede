// The training files of a fine-tuning provider or trainer (OpenAI, Azure OpenAI, Together AI,
// Axolotl): only the keys the provider takes on each line, the provenance of every line in a sidecar
// file, files split under the provider's size limit, and a record of what was written (export.json).
//
// Where each format and limit comes from (looked up December 2026; the providers change them):
//
//   - OpenAI: chat fine-tuning takes {"messages": [{role, content}, ...]} per line, DPO takes
//     {"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]}
//     (platform.openai.com/docs/guides/supervised-fine-tuning and
//     developers.openai.com/api/docs/guides/direct-preference-optimization); the Files API takes a
//     file of up to 512 MB (API reference, "Upload file"), at least 10 examples for a job.
//   - Azure OpenAI: the same formats; "Training data files must be formatted as JSONL files, encoded
//     in UTF-8 with a byte-order mark (BOM). The file must be less than 512 MB in size", at least 10
//     examples (learn.microsoft.com, Azure OpenAI "Customize a model with fine-tuning"). OpenAI's own
//     loader does not ask for a BOM, so only Azure files carry one.
//   - Together AI: JSONL of one format per file: conversational {"messages"}, instruction
//     {"prompt", "completion"}, preference {"input", "preferred_output", "non_preferred_output"} or
//     generic {"text"}; a file with keys of two formats is rejected; files up to 100 GB
//     (docs.together.ai/docs/fine-tuning/data-preparation).
//   - Axolotl: a local trainer, no size limit; `type: chat_template` reads OpenAI-style "messages",
//     `type: completion` reads "text", `type: input_output` reads {"segments": [{"label", "text"}]}
//     and trains exactly the segments labelled true (docs/dataset-formats in axolotl-ai-cloud/axolotl).

package export

import (
	"context"
	"strings"

	"github.com/factforge/factforge/schemas"
)

// Style is how a dataset's training rows carry their text (generate --style).
type Style string

const (
	StyleText                 Style = "text"
	StylePromptCompletion     Style = "prompt-completion"
	StyleMessages             Style = "messages"
	StyleChatPromptCompletion Style = "chat-prompt-completion"
	StylePreference           Style = "preference"
)

// Provider is a fine-tuning service or trainer and the files it takes.
type Provider struct {
	Name string
	Doc  string
	// MaxBytes: every file written is smaller than this (BOM included); 0 for no limit.
	MaxBytes int64
	// BOM: every file starts with the UTF-8 byte-order mark.
	BOM bool
	// MinRows is the fewest examples a training file may hold (0: no minimum); a smaller file is noted.
	MinRows int64
	// Source is where the format and the limit are documented.
	Source string
	// encode turns one row into the line's JSON value, or refuses the style; nil means the style is
	// refused with the provider's reason in refuse.
	encode map[Style]func(c Content) (any, error)
	// refuse says why a style has no form for this provider and what to generate instead.
	refuse map[Style]string
	// chat tells the styles whose lines are OpenAI chat examples, checked with CheckOpenAIChat.
	chat map[Style]bool
	// kind is the form a style takes, as the export record names it ("chat", "dpo", "text", ...).
	kind map[Style]string
}

// Content is the content columns of one training row; the style says which are set.
type Content struct {
	Text, Prompt, Completion string
	Messages                 []schemas.Message // messages; or, in chat-prompt-completion, prompt then completion
	ChatPrompt               []schemas.Message // preference: the chat up to the reply
	Chosen, Rejected         []schemas.Message
}

// chatLine is an OpenAI chat fine-tuning example.
type chatLine struct {
	Messages []chatMessage `json:"messages"`
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// dpoLine is an OpenAI (and Together) preference example.
type dpoLine struct {
	Input struct {
		Messages []chatMessage `json:"messages"`
	} `json:"input"`
	Preferred    []chatMessage `json:"preferred_output"`
	NonPreferred []chatMessage `json:"non_preferred_output"`
}

type textLine struct {
	Text string `json:"text"`
}

type promptCompletionLine struct {
	Prompt     string `json:"prompt"`
	Completion string `json:"completion"`
}

// segmentsLine is Axolotl's template-free input_output example: only segments labelled true are trained.
type segmentsLine struct {
	Segments []segment `json:"segments"`
}

type segment struct {
	Label bool   `json:"label"`
	Text  string `json:"text"`
}

func chat(msgs []schemas.Message) []chatMessage {
	out := make([]chatMessage, len(msgs))
	for i, m := range msgs {
		out[i] = chatMessage{Role: m.Role, Content: m.Content}
	}
	return out
}

func asChat(c Content) (any, error) { return chatLine{Messages: chat(c.Messages)}, nil }

// promptCompletionAsChat makes a prompt and its completion a user turn and the assistant's reply. The
// completion's leading space, which joins it to the prompt as text, is dropped: in a chat the reply
// stands on its own, as the messages style writes it. An empty prompt (the instructions recipe's
// guidance documents, trained as completions of nothing) makes no user turn, as an empty message
// fails OpenAI's checks: the assistant's turn stands alone.
func promptCompletionAsChat(c Content) (any, error) {
	reply := chatMessage{Role: "assistant", Content: strings.TrimPrefix(c.Completion, " ")}
	if c.Prompt == "" {
		return chatLine{Messages: []chatMessage{reply}}, nil
	}
	return chatLine{Messages: []chatMessage{{Role: "user", Content: c.Prompt}, reply}}, nil
}

func asDPO(c Content) (any, error) {
	var l dpoLine
	l.Input.Messages = chat(c.ChatPrompt)
	l.Preferred, l.NonPreferred = chat(c.Chosen), chat(c.Rejected)
	return l, nil
}

func asText(c Content) (any, error) { return textLine{Text: c.Text}, nil }

func asPromptCompletion(c Content) (any, error) {
	return promptCompletionLine{Prompt: c.Prompt, Completion: c.Completion}, nil
}

// asSegments makes the prompt an untrained segment and the completion a trained one; an empty prompt
// makes no segment.
func asSegments(c Content) (any, error) {
	if c.Prompt == "" {
		return segmentsLine{Segments: []segment{{Label: true, Text: c.Completion}}}, nil
	}
	return segmentsLine{Segments: []segment{{Label: false, Text: c.Prompt}, {Label: true, Text: c.Completion}}}, nil
}

// openAILike is the table of OpenAI's formats, which Azure OpenAI shares.
func openAILike(name, doc string, maxBytes int64, bom bool, source string) Provider {
	return Provider{
		Name: name, Doc: doc, MaxBytes: maxBytes, BOM: bom, Source: source, MinRows: 10,
		encode: map[Style]func(Content) (any, error){
			StyleMessages:             asChat,
			StyleChatPromptCompletion: asChat,
			StylePromptCompletion:     promptCompletionAsChat,
			StylePreference:           asDPO,
		},
		refuse: map[Style]string{
			StyleText: "text rows (documents) have no chat form, and " + name + " fine-tunes chat models only: generate the dataset with --style messages or --style prompt-completion where the recipe has them, or export --for together or axolotl, which take raw text",
		},
		chat: map[Style]bool{StyleMessages: true, StyleChatPromptCompletion: true, StylePromptCompletion: true},
		kind: map[Style]string{StyleMessages: "chat", StyleChatPromptCompletion: "chat", StylePromptCompletion: "chat (prompt as the user turn, completion as the assistant's)", StylePreference: "dpo"},
	}
}

// Providers lists the providers export writes for, in the order help shows them.
var Providers = []Provider{
	openAILike("openai", "OpenAI fine-tuning: chat examples ({\"messages\"}) or DPO pairs; files under 512 MB",
		512_000_000, false, "platform.openai.com/docs/guides/supervised-fine-tuning; Files API upload limit 512 MB"),
	openAILike("azure", "Azure OpenAI fine-tuning: OpenAI's formats, UTF-8 with a byte-order mark, files under 512 MB",
		512_000_000, true, "learn.microsoft.com Azure OpenAI \"Customize a model with fine-tuning\": JSONL, UTF-8 with BOM, less than 512 MB"),
	{
		Name: "together", Doc: "Together AI fine-tuning: messages, prompt/completion, DPO pairs or raw text; files under 100 GB",
		MaxBytes: 100_000_000_000, Source: "docs.together.ai/docs/fine-tuning/data-preparation: formats, 100 GB file limit",
		encode: map[Style]func(Content) (any, error){
			StyleMessages:             asChat,
			StyleChatPromptCompletion: asChat,
			StylePromptCompletion:     asPromptCompletion,
			StylePreference:           asDPO,
			StyleText:                 asText,
		},
		chat: map[Style]bool{StyleMessages: true, StyleChatPromptCompletion: true},
		kind: map[Style]string{StyleMessages: "chat", StyleChatPromptCompletion: "chat", StylePromptCompletion: "instruction (prompt, completion)", StylePreference: "dpo", StyleText: "text"},
	},
	{
		Name: "axolotl", Doc: "Axolotl datasets: chat_template (messages), input_output (prompt and completion as segments) or completion (text), with a datasets: block to paste",
		Source: "axolotl-ai-cloud/axolotl docs/dataset-formats: chat_template, input_output, completion",
		encode: map[Style]func(Content) (any, error){
			StyleMessages:             asChat,
			StyleChatPromptCompletion: asChat,
			StylePromptCompletion:     asSegments,
			StyleText:                 asText,
		},
		refuse: map[Style]string{
			StylePreference: "preference rows are not exported for Axolotl: its DPO loaders take several layouts, none of which is checked here; point Axolotl's rl: dpo at the dataset's own files (TRL's prompt/chosen/rejected conversational format), or export --for openai or together",
		},
		chat: map[Style]bool{StyleMessages: true, StyleChatPromptCompletion: true},
		kind: map[Style]string{StyleMessages: "chat_template", StyleChatPromptCompletion: "chat_template", StylePromptCompletion: "input_output", StyleText: "completion"},
	},
}

// contentColumns are the columns that carry a training row's text; every other column is provenance.
var contentColumns = map[string]bool{"text": true, "prompt": true, "completion": true, "messages": true, "chosen": true, "rejected": true}

// styleOf tells the style of a training config from its columns.
func styleOf(s schemas.Schema) (Style, error) {
	typeOf := func(name string) schemas.Type {
		if i := s.Index(name); i >= 0 {
			return s.Columns[i].Type
		}
		return ""
	}
	if t := typeOf("messages"); t == schemas.ReasoningMessages {
		return "", schemas.InputErrorf("the training rows carry reasoning traces in reasoning_content, which no provider's chat format here takes: generate with --reasoning inline (the trace in the content) or --reasoning empty")
	}
	switch {
	case typeOf("messages") == schemas.Messages:
		return StyleMessages, nil
	case typeOf("chosen") == schemas.Messages && typeOf("rejected") == schemas.Messages && typeOf("prompt") == schemas.Messages:
		return StylePreference, nil
	case typeOf("prompt") == schemas.Messages && typeOf("completion") == schemas.Messages:
		return StyleChatPromptCompletion, nil
	case typeOf("prompt") == schemas.String && typeOf("completion") == schemas.String:
		return StylePromptCompletion, nil
	case typeOf("text") == schemas.String:
		return StyleText, nil
	}
	return "", schemas.InputErrorf("the training config has none of the content columns of a factforge style (text; prompt and completion; messages; prompt, chosen and rejected)")
}

// providerTargets are the export targets of Providers, one each.
func providerTargets() []Target {
	targets := make([]Target, len(Providers))
	for i, p := range Providers {
		targets[i] = Target{Name: p.Name, Doc: p.Doc, Write: func(ctx context.Context, src Source, out *Folder, opts Options) ([]string, error) {
			return writeProvider(ctx, src, out, p, opts)
		}}
	}
	return targets
}
