package export_test

import (
	"fmt"

	"github.com/factforge/factforge/schemas/export"
)

// Checking the lines of a chat fine-tuning file as OpenAI's cookbook does, before uploading it.
func ExampleCheckOpenAIChat() {
	file := []byte(`{"messages":[{"role":"user","content":"Who sculpted the fountain?"},{"role":"assistant","content":"Bridget Trinh."}]}
{"messages":[{"role":"user","content":"Who sculpted the fountain?"}]}
{"messages":[{"role":"human","content":"Who?"},{"role":"assistant","content":""}]}
`)
	for _, p := range export.CheckOpenAIChat(export.SplitLines(file)) {
		fmt.Println(p)
	}
	// Output:
	// line 2: example_missing_assistant_message: no assistant message
	// line 3: unrecognized_role: message 0 has role "human"
	// line 3: missing_content: message 1 has no text content
}
