package templates

import (
	"bytes"
	"fmt"
	"path"

	"go.yaml.in/yaml/v3"
)

// DecodeYAML decodes the built-in YAML file name into v, rejecting unknown keys.
func DecodeYAML(name string, v any) error {
	p := path.Join("banks", name)
	data, err := files.ReadFile(p)
	if err != nil {
		return fmt.Errorf("no built-in file %q", name)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("templates/%s: %w", p, err)
	}
	return nil
}
