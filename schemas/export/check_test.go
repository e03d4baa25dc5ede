package export

import (
	"encoding/json"
	"strings"
	"testing"
)

// Each check fires on a line made to fail it, and no check fires on the good lines.
func TestCheckOpenAIChat(t *testing.T) {
	good := []string{
		`{"messages":[{"role":"user","content":"Who wrote it?"},{"role":"assistant","content":"Ada."}]}`,
		`{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello.","weight":1}]}`,
		`{"messages":[{"role":"user","content":"Weather?"},{"role":"assistant","function_call":{"name":"weather","arguments":"{}"}},{"role":"function","name":"weather","content":"sunny"},{"role":"assistant","content":"Sunny."}]}`,
		`{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","weight":0},{"role":"user","content":"c"},{"role":"assistant","content":"d"}],"tools":[]}`,
	}
	for i, l := range good {
		if probs := CheckOpenAIChat([][]byte{[]byte(l)}); len(probs) > 0 {
			t.Errorf("good line %d: %v", i, probs)
		}
	}
	bad := []struct {
		kind, line string
	}{
		{"data_type", `["messages"]`},
		{"data_type", `not json`},
		{"data_type", `null`},
		{"missing_messages_list", `{"prompt":"a","completion":"b"}`},
		{"missing_messages_list", `{"messages":{"role":"user","content":"a"}}`},
		{"missing_messages_list", `{"messages":"user: a"}`},
		{"example_unrecognized_key", `{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"id":"x"}`},
		{"message_missing_key", `{"messages":[{"content":"a"},{"role":"assistant","content":"b"}]}`},
		{"message_missing_key", `{"messages":[{"role":"user"},{"role":"assistant","content":"b"}]}`},
		{"message_missing_key", `{"messages":["a",{"role":"assistant","content":"b"}]}`},
		{"message_unrecognized_key", `{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","reasoning_content":"r"}]}`},
		{"unrecognized_role", `{"messages":[{"role":"human","content":"a"},{"role":"assistant","content":"b"}]}`},
		{"unrecognized_role", `{"messages":[{"role":3,"content":"a"},{"role":"assistant","content":"b"}]}`},
		{"missing_content", `{"messages":[{"role":"user","content":""},{"role":"assistant","content":"b"}]}`},
		{"missing_content", `{"messages":[{"role":"user","content":["a"]},{"role":"assistant","content":"b"}]}`},
		{"missing_content", `{"messages":[{"role":"user","content":null},{"role":"assistant","content":"b"}]}`},
		{"invalid_weight", `{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","weight":0.5}]}`},
		{"example_missing_assistant_message", `{"messages":[{"role":"system","content":"s"},{"role":"user","content":"a"}]}`},
		{"example_missing_assistant_message", `{"messages":[]}`},
	}
	for _, b := range bad {
		probs := CheckOpenAIChat([][]byte{[]byte(b.line)})
		found := false
		for _, p := range probs {
			found = found || p.Kind == b.kind
		}
		if !found {
			t.Errorf("%s does not fire on %s (got %v)", b.kind, b.line, probs)
		}
	}
}

// A byte-order mark is allowed before the first line only, and problems name their line.
func TestCheckOpenAIChatLines(t *testing.T) {
	okLine := `{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}`
	data := BOM + okLine + "\n" + okLine + "\n" + `{"messages":[{"role":"user","content":"a"}]}` + "\n"
	probs := CheckOpenAIChat(SplitLines([]byte(data)))
	if len(probs) != 1 || probs[0].Line != 3 || probs[0].Kind != "example_missing_assistant_message" {
		t.Fatalf("got %v, want one missing assistant message on line 3", probs)
	}
	probs = CheckOpenAIChat(SplitLines([]byte(okLine + "\n" + BOM + okLine + "\n")))
	if len(probs) != 1 || probs[0].Line != 2 || probs[0].Kind != "data_type" {
		t.Fatalf("a BOM on line 2: got %v, want a data_type problem on line 2", probs)
	}
	if got := (Problem{Line: 7, Kind: "missing_content", Detail: "message 0 has no text content"}).String(); !strings.HasPrefix(got, "line 7: missing_content") {
		t.Fatalf("Problem.String() = %q", got)
	}
}

// Every provider's encodings of one row, exact.
func TestEncodings(t *testing.T) {
	c := Content{Prompt: "Ada wrote", Completion: " the notes."}
	tests := []struct {
		provider string
		style    Style
		want     string
	}{
		{"openai", StylePromptCompletion, `{"messages":[{"role":"user","content":"Ada wrote"},{"role":"assistant","content":"the notes."}]}`},
		{"together", StylePromptCompletion, `{"prompt":"Ada wrote","completion":" the notes."}`},
		{"axolotl", StylePromptCompletion, `{"segments":[{"label":false,"text":"Ada wrote"},{"label":true,"text":" the notes."}]}`},
	}
	empty := Content{Completion: "Guidance: answer A."}
	for _, tt := range []struct{ provider, want string }{
		{"openai", `{"messages":[{"role":"assistant","content":"Guidance: answer A."}]}`},
		{"axolotl", `{"segments":[{"label":true,"text":"Guidance: answer A."}]}`},
	} {
		p := providerNamed(t, tt.provider)
		v, _ := p.encode[StylePromptCompletion](empty)
		if got := string(mustJSON(t, v)); got != tt.want {
			t.Errorf("%s, empty prompt:\n got %s\nwant %s", tt.provider, got, tt.want)
		}
	}
	for _, tt := range tests {
		p := providerNamed(t, tt.provider)
		v, err := p.encode[tt.style](c)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(mustJSON(t, v)); got != tt.want {
			t.Errorf("%s %s:\n got %s\nwant %s", tt.provider, tt.style, got, tt.want)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Each preference check fires on a line made to fail it, and none on a good line.
func TestCheckOpenAIPreference(t *testing.T) {
	good := `{"input":{"messages":[{"role":"system","content":"s"},{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}]}`
	if probs := CheckOpenAIPreference([][]byte{[]byte(good)}); len(probs) > 0 {
		t.Fatalf("good line: %v", probs)
	}
	bad := []struct{ kind, line string }{
		{"data_type", `[]`},
		{"example_unrecognized_key", `{"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}],"id":"x"}`},
		{"missing_messages_list", `{"input":{"prompt":"q"},"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}]}`},
		{"unrecognized_role", `{"input":{"messages":[{"role":"human","content":"q"}]},"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}]}`},
		{"invalid_output", `{"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":{"role":"assistant","content":"a"},"non_preferred_output":[{"role":"assistant","content":"b"}]}`},
		{"invalid_output", `{"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"user","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}]}`},
		{"invalid_output", `{"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"a"}]}`},
		{"missing_content", `{"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":""}],"non_preferred_output":[{"role":"assistant","content":"b"}]}`},
		{"same_outputs", `{"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"a"}]}`},
	}
	for _, b := range bad {
		found := false
		for _, p := range CheckOpenAIPreference([][]byte{[]byte(b.line)}) {
			found = found || p.Kind == b.kind
		}
		if !found {
			t.Errorf("%s does not fire on %s", b.kind, b.line)
		}
	}
}

// Together's turn order: an optional system message, then user and assistant alternating.
func TestCheckTurnOrder(t *testing.T) {
	tests := []struct {
		line string
		ok   bool
	}{
		{`{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}`, true},
		{`{"messages":[{"role":"system","content":"s"},{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"},{"role":"assistant","content":"d"}]}`, true},
		{`{"messages":[{"role":"assistant","content":"b"}]}`, false},
		{`{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"assistant","content":"c"}]}`, false},
		{`{"messages":[{"role":"system","content":"s"},{"role":"system","content":"s"},{"role":"user","content":"a"}]}`, false},
		{`{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"assistant","content":"c"}]}`, false},
	}
	for _, tt := range tests {
		probs := checkTurnOrder([]byte(tt.line))
		if (len(probs) == 0) != tt.ok {
			t.Errorf("%s: problems %v, want ok=%v", tt.line, probs, tt.ok)
		}
	}
}

func providerNamed(t *testing.T, name string) Provider {
	t.Helper()
	for _, p := range Providers {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no provider %q", name)
	return Provider{}
}
