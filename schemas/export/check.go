package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// The format checks of OpenAI's cookbook notebook "Data preparation and analysis for chat model
// fine-tuning", written again from its description: each line must be a JSON object with a list of
// messages; each message has a role and content, and no keys but role, content, name, function_call
// and weight; roles are system, user, assistant or function; content is a non-empty string (or absent
// beside a function_call); every example has an assistant message. Two checks are added: a line's
// only keys are messages and the tool definitions OpenAI's chat format allows, and a weight is 0 or 1
// (OpenAI's documentation of weight). The notebook's token counts need a tokenizer and are not here.

// Problem is one failed check on one line.
type Problem struct {
	Line   int    // 1-based
	Kind   string // the notebook's error type, such as example_missing_assistant_message
	Detail string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s: %s", p.Line, p.Kind, p.Detail) }

var (
	chatExampleKeys = []string{"messages", "tools", "parallel_tool_calls", "functions"}
	chatMessageKeys = []string{"role", "content", "name", "function_call", "weight"}
	chatRoles       = []string{"system", "user", "assistant", "function"}
)

// CheckOpenAIChat runs the checks on the lines of a chat fine-tuning file (a leading byte-order mark
// is allowed, as Azure files carry one) and returns the problems, in line order.
func CheckOpenAIChat(lines [][]byte) []Problem { return checkLines(lines, checkChatLine) }

// checkLines runs check on every line (a leading byte-order mark allowed) and numbers the problems.
func checkLines(lines [][]byte, check func([]byte) []Problem) []Problem {
	var out []Problem
	for i, l := range lines {
		if i == 0 {
			l = bytes.TrimPrefix(l, []byte(BOM))
		}
		for _, p := range check(l) {
			p.Line = i + 1
			out = append(out, p)
		}
	}
	return out
}

// SplitLines splits a JSONL file's bytes into lines, without their newlines; a final newline ends
// the last line rather than starting an empty one.
func SplitLines(data []byte) [][]byte {
	data = bytes.TrimSuffix(data, []byte("\n"))
	if len(data) == 0 {
		return nil
	}
	return bytes.Split(data, []byte("\n"))
}

// lineChecker gathers the problems of one line, and decodes it as a JSON object (nil, with the
// problem noted, when it is not one).
type lineChecker struct{ probs []Problem }

func (c *lineChecker) add(kind, format string, args ...any) {
	c.probs = append(c.probs, Problem{Kind: kind, Detail: fmt.Sprintf(format, args...)})
}

func (c *lineChecker) object(line []byte) map[string]json.RawMessage {
	var example map[string]json.RawMessage
	if err := json.Unmarshal(line, &example); err != nil || example == nil {
		c.add("data_type", "the line is not a JSON object")
		return nil
	}
	return example
}

func checkChatLine(line []byte) []Problem {
	c := &lineChecker{}
	add := c.add
	example := c.object(line)
	if example == nil {
		return c.probs
	}
	for _, k := range sortedKeys(example) {
		if !slices.Contains(chatExampleKeys, k) {
			add("example_unrecognized_key", "key %q beside messages", k)
		}
	}
	raw, ok := example["messages"]
	if !ok {
		add("missing_messages_list", "no messages key")
		return c.probs
	}
	var messages []json.RawMessage
	if err := json.Unmarshal(raw, &messages); err != nil || messages == nil {
		add("missing_messages_list", "messages is not a list")
		return c.probs
	}
	assistant := false
	for j, rawMsg := range messages {
		var msg map[string]json.RawMessage
		if err := json.Unmarshal(rawMsg, &msg); err != nil || msg == nil {
			add("message_missing_key", "message %d is not an object", j)
			continue
		}
		_, hasRole := msg["role"]
		_, hasContent := msg["content"]
		_, hasCall := msg["function_call"]
		if !hasRole || (!hasContent && !hasCall) {
			add("message_missing_key", "message %d lacks role or content", j)
		}
		for _, k := range sortedKeys(msg) {
			if !slices.Contains(chatMessageKeys, k) {
				add("message_unrecognized_key", "message %d has key %q", j, k)
			}
		}
		var role string
		if hasRole {
			if err := json.Unmarshal(msg["role"], &role); err != nil || !slices.Contains(chatRoles, role) {
				add("unrecognized_role", "message %d has role %s", j, msg["role"])
			}
		}
		if role == "assistant" {
			assistant = true
		}
		if hasContent || !hasCall {
			var content string
			if err := json.Unmarshal(msg["content"], &content); err != nil || content == "" {
				add("missing_content", "message %d has no text content", j)
			}
		}
		if w, ok := msg["weight"]; ok && string(w) != "0" && string(w) != "1" {
			add("invalid_weight", "message %d has weight %s, not 0 or 1", j, w)
		}
	}
	if !assistant {
		add("example_missing_assistant_message", "no assistant message")
	}
	return c.probs
}

// checkTurnOrder is Together AI's rule for conversational data: a chat starts with a system or a user
// message, and after it user and assistant messages alternate, user first
// (docs.together.ai/docs/fine-tuning/data-preparation, "Conversational data").
func checkTurnOrder(line []byte) []Problem {
	var example struct {
		Messages []struct{ Role string } `json:"messages"`
	}
	if err := json.Unmarshal(line, &example); err != nil {
		return []Problem{{Kind: "data_type", Detail: "the line is not a chat example"}}
	}
	roles := example.Messages
	if len(roles) > 0 && roles[0].Role == "system" {
		roles = roles[1:]
	}
	for i, m := range roles {
		want := "user"
		if i%2 == 1 {
			want = "assistant"
		}
		if m.Role != want {
			return []Problem{{Kind: "turn_order", Detail: fmt.Sprintf("message %d is %s where %s is due: after an optional system message, user and assistant alternate", len(example.Messages)-len(roles)+i, m.Role, want)}}
		}
	}
	return nil
}

// CheckOpenAIPreference checks the lines of a DPO file as OpenAI documents them: keys input,
// preferred_output and non_preferred_output only; input holds a messages list that passes the chat
// checks but for the assistant message (the prompt ends before the reply); each output is a list of
// one assistant message with text content, and the two differ.
func CheckOpenAIPreference(lines [][]byte) []Problem { return checkLines(lines, checkPreferenceLine) }

func checkPreferenceLine(line []byte) []Problem {
	c := &lineChecker{}
	add := c.add
	example := c.object(line)
	if example == nil {
		return c.probs
	}
	for _, k := range sortedKeys(example) {
		if k != "input" && k != "preferred_output" && k != "non_preferred_output" {
			add("example_unrecognized_key", "key %q", k)
		}
	}
	for _, p := range checkChatLine(example["input"]) {
		if p.Kind != "example_missing_assistant_message" {
			p.Detail = "input: " + p.Detail
			c.probs = append(c.probs, p)
		}
	}
	var replies [2]string
	for j, key := range []string{"preferred_output", "non_preferred_output"} {
		var msgs []struct {
			Role    *string `json:"role"`
			Content *string `json:"content"`
		}
		if err := json.Unmarshal(example[key], &msgs); err != nil || len(msgs) != 1 {
			add("invalid_output", "%s is not a list of one message", key)
			continue
		}
		if msgs[0].Role == nil || *msgs[0].Role != "assistant" {
			add("invalid_output", "%s is not an assistant message", key)
		}
		if msgs[0].Content == nil || *msgs[0].Content == "" {
			add("missing_content", "%s has no text content", key)
		} else {
			replies[j] = *msgs[0].Content
		}
	}
	if replies[0] != "" && replies[0] == replies[1] {
		add("same_outputs", "the preferred and non-preferred outputs are the same")
	}
	return c.probs
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
