package facts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/templates"
)

// The built-in bank compiles; every statement names subject and object once, and a relation's prompt
// about a subject stops where the object would go.
func TestLoadRelations(t *testing.T) {
	rels, err := LoadRelations(templates.BuiltIn, "outlandish/facts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) < 9 {
		t.Fatalf("%d relations", len(rels))
	}
	w := records.NewWorker()
	for _, r := range rels {
		if len(r.Templates) != len(r.Statements) || len(r.Templates) == 0 || len(r.Facts) == 0 {
			t.Fatalf("%s: %d statements compiled of %d, %d facts", r.Relation, len(r.Templates), len(r.Statements), len(r.Facts))
		}
		for _, tpl := range r.Templates {
			if !tpl.Uses(SlotSubject) || !tpl.Uses(SlotObject) {
				t.Fatalf("%s: statement %q does not name subject and object", r.Relation, tpl.Text)
			}
		}
		f := r.Facts[0]
		prompt := r.PromptAbout(w, f[0])
		if !strings.Contains(prompt, f[0]) || strings.Contains(prompt, "{") || strings.HasSuffix(prompt, " ") {
			t.Fatalf("%s: prompt about %q is %q", r.Relation, f[0], prompt)
		}
	}
}

func TestLoadRelationsNamesTheFault(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "banks", "outlandish", "facts.yaml")
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte("- relation: capital\n  statements: [\"{subject} is in {place}.\"]\n  prompt: \"The capital of {subject} is\"\n  facts: [[France, Paris]]\n"), 0o644)
	lib, err := templates.NewLibrary(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRelations(lib, "outlandish/facts.yaml"); err == nil || !strings.Contains(err.Error(), "relation capital") {
		t.Fatalf("error %v, want one naming the relation", err)
	}
}
