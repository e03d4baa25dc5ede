package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// JSONSchema is the JSON Schema (draft 2020-12) of one JSONL record of schema s: an object with
// exactly the schema's columns, each of its type.
func JSONSchema(s Schema, title string) []byte {
	props := map[string]any{}
	for _, c := range s.Columns {
		switch c.Type {
		case Int64:
			props[c.Name] = map[string]any{"type": "integer"}
		case Bool:
			props[c.Name] = map[string]any{"type": "boolean"}
		case Strings:
			props[c.Name] = map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
		case Spans:
			props[c.Name] = map[string]any{"type": "array", "items": object(map[string]any{"start": map[string]any{"type": "integer", "minimum": 0}, "end": map[string]any{"type": "integer", "minimum": 0}})}
		case Messages:
			props[c.Name] = map[string]any{"type": "array", "items": object(map[string]any{"role": map[string]any{"type": "string"}, "content": map[string]any{"type": "string"}})}
		case ReasoningMessages:
			props[c.Name] = map[string]any{"type": "array", "items": object(map[string]any{"role": map[string]any{"type": "string"}, "content": map[string]any{"type": "string"}, "reasoning_content": map[string]any{"type": "string"}})}
		default:
			props[c.Name] = map[string]any{"type": "string"}
		}
		if c.Nullable {
			p := props[c.Name].(map[string]any)
			p["type"] = []string{p["type"].(string), "null"}
		}
	}
	doc := object(props)
	doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	doc["title"] = title
	out, _ := json.MarshalIndent(doc, "", "  ") // maps marshal with sorted keys: the same schema, the same bytes
	return out
}

func object(props map[string]any) map[string]any {
	required := make([]string, 0, len(props))
	for k := range props {
		required = append(required, k)
	}
	slices.Sort(required)
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// jsonValidator checks JSONL lines against a config's JSON Schema.
type jsonValidator struct{ schema *jsonschema.Schema }

func newJSONValidator(s Schema, name string) (*jsonValidator, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSONSchema(s, name)))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name+".schema.json", doc); err != nil {
		return nil, err
	}
	sch, err := c.Compile(name + ".schema.json")
	if err != nil {
		return nil, err
	}
	return &jsonValidator{schema: sch}, nil
}

func (v *jsonValidator) check(line []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
	if err != nil {
		return err
	}
	if err := v.schema.Validate(inst); err != nil {
		return fmt.Errorf("does not match the JSON Schema of its config: %v", err)
	}
	return nil
}
