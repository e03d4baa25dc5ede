// Package records owns what a row is made of while it is being made: the worker's scratch space (a
// random stream, reusable buffers, and the blocks that row strings are cut from), rendering a template
// into a Document with its slot spans, and layouts, which fix a config's columns and hand recipes typed
// handles to set them. Nothing here decides what a row says; recipes and stages do.
package records

import (
	"strconv"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Row is one record being filled.
type Row = schemas.Row

// Styles of training rows: what content columns they carry.
const (
	StyleText             = "text"              // text: language modelling
	StylePromptCompletion = "prompt-completion" // prompt, completion
	StyleMessages         = "messages"          // messages: [{role: user}, {role: assistant}]
	// StyleChatCompletion is TRL's conversational prompt-completion: prompt and completion as message
	// lists (the chat up to the last reply, and the reply).
	StyleChatCompletion = "chat-prompt-completion"
	// StylePreference is TRL's conversational preference format: prompt (the chat up to the last
	// reply), chosen and rejected (a reply each, as one-message lists). Only recipes whose chats have a
	// second answer to their last turn write it (see generators.Recipe).
	StylePreference = "preference"
)

// Styles lists the styles, in the order help texts show them.
var Styles = []string{StyleText, StylePromptCompletion, StyleMessages, StyleChatCompletion, StylePreference}

// Worker is the scratch space of one generating goroutine: a random stream and buffers reused from
// row to row.
type Worker struct {
	Stream *rng.Stream
	Buf    []byte
	Spans  []templates.Span
	Values []string
	// Scratch is a stage's own scratch space, reused from row to row (the transforms of package
	// variants keep theirs here); records does not look inside.
	Scratch any
	block   []byte // where Keep cuts strings from
	arena   *Arena // where blocks come from; nil for fresh ones
}

// NewWorker returns empty scratch space.
func NewWorker() *Worker { return &Worker{Stream: rng.NewStream()} }

// Provenance are the columns every row carries, beyond id and recipe, so that results can be sliced
// by any of them with one query.
type Provenance struct {
	FactID     string
	Group      string
	TemplateID string
	Variant    string // the transform chain; "original" for none
}

// FactID names fact k ("f000017"); zero-padded so that ids sort in fact order.
func FactID(k int) string { return PaddedID("f", k, 6) }

// PaddedID is prefix and then i with at least digits digits, zero-padded ("chat-000017"), so that ids
// sort in index order: fmt.Sprintf("%s%0*d") without fmt, as ids are made once per row.
func PaddedID(prefix string, i, digits int) string {
	s := strconv.Itoa(i)
	if len(s) < digits {
		s = "0000000000000000"[:digits-len(s)] + s
	}
	return prefix + s
}

// ChainVariant appends a transform to a variant chain; "original" is the empty chain.
func ChainVariant(chain, transform string) string {
	if chain == "" || chain == "original" {
		return transform
	}
	return chain + "+" + transform
}
