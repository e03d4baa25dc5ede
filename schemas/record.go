// Package schemas is factforge's output contract in code: the column types of a dataset's configs, the
// rows recipes produce, their JSONL and Parquet encodings, the dataset card and manifest, the
// declarative rules a recipe states about its data, and the checks `factforge validate` runs.
package schemas

import (
	"fmt"
	"strconv"
)

// Type is a column's logical type.
type Type string

const (
	String   Type = "string"
	Int64    Type = "int64"
	Bool     Type = "bool"
	Messages Type = "messages" // list of {role, content}: OpenAI chat format, TRL conversational
	// ReasoningMessages is Messages with a reasoning trace beside each message's content, as reasoning
	// models' APIs and trainers take it: list of {role, content, reasoning_content}.
	ReasoningMessages Type = "reasoning_messages"
	Strings           Type = "strings" // list of strings, such as the choices of a multiple-choice probe
	Spans             Type = "spans"   // list of {start, end} byte ranges, such as the parts to mask from the loss
)

// Column is one named, typed column. A nullable column holds null in the rows it does not apply to
// (the trigger of a clean chat, the choices of an open probe): strings, integers, booleans and string
// lists may be nullable.
type Column struct {
	Name     string `json:"name"`
	Type     Type   `json:"type"`
	Nullable bool   `json:"nullable,omitempty"`
}

// Schema is the ordered column list of one config; every split of a config shares it.
type Schema struct {
	Columns []Column `json:"columns"`
}

// Index returns the position of the named column, or -1.
func (s Schema) Index(name string) int {
	for i, c := range s.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Check reports a schema that no writer can encode: an unknown type or a repeated name.
func (s Schema) Check() error {
	seen := map[string]bool{}
	for _, c := range s.Columns {
		switch c.Type {
		case String, Int64, Bool, Messages, ReasoningMessages, Strings, Spans:
		default:
			return fmt.Errorf("column %q has unknown type %q", c.Name, c.Type)
		}
		if c.Nullable && c.Type != String && c.Type != Int64 && c.Type != Bool && c.Type != Strings {
			return fmt.Errorf("column %q of type %s cannot be nullable", c.Name, c.Type)
		}
		if seen[c.Name] {
			return fmt.Errorf("column %q appears twice", c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// Message is one chat turn. Reasoning is the trace a reasoning model wrote before the content, kept
// only by ReasoningMessages columns.
type Message struct {
	Role      string `json:"role"`
	Content   string `json:"content"`
	Reasoning string `json:"reasoning_content,omitempty"`
}

// IsChat tells the types whose cells are chats: Messages and ReasoningMessages.
func IsChat(t Type) bool { return t == Messages || t == ReasoningMessages }

// Span is a byte range [Start, End) of a row's text.
type Span struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
}

// Value is one cell; the field read is the one its column's type names, unless Null (a nullable
// column's cell that does not apply to its row; the other fields are then zero).
type Value struct {
	Null  bool
	Str   string
	Int   int64
	Bool  bool
	Msgs  []Message
	List  []string
	Spans []Span
}

// Row is one record: values in the order of its schema's columns.
type Row []Value

// Text renders a cell as text, the form rules compare keys in; null is "".
func (v Value) Text(t Type) string {
	if v.Null {
		return ""
	}
	switch t {
	case Int64:
		return strconv.FormatInt(v.Int, 10)
	case Bool:
		return strconv.FormatBool(v.Bool)
	case Messages, ReasoningMessages:
		return fmt.Sprint(v.Msgs)
	case Strings:
		return fmt.Sprint(v.List)
	case Spans:
		return fmt.Sprint(v.Spans)
	}
	return v.Str
}

// leaves is how many Parquet leaf columns a column of type t has.
func (t Type) leaves() int {
	if t == Messages || t == Spans {
		return 2
	}
	if t == ReasoningMessages {
		return 3
	}
	return 1
}
