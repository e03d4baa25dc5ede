package records

import (
	"testing"

	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Columns come in a fixed order (id, the style's content, provenance, then the recipe's own in the
// order added), and each handle sets its own column, typed.
func TestLayoutColumnsAndHandles(t *testing.T) {
	l := TrainLayout("r", StylePromptCompletion)
	dir, flag, n, masks, list := l.AddString("direction"), l.AddBool("flag"), l.AddInt("n"), l.AddSpans("masks"), l.AddStrings("list")
	var names []string
	for _, c := range l.Schema.Columns {
		names = append(names, c.Name)
	}
	want := []string{"id", "prompt", "completion", "recipe", "fact_id", "group", "template_id", "variant", "direction", "flag", "n", "masks", "list"}
	if len(names) != len(want) {
		t.Fatalf("columns %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("columns %v, want %v", names, want)
		}
	}
	row := make(Row, len(l.Schema.Columns))
	dir.Set(row, "p2d")
	flag.Set(row, true)
	n.Set(row, 7)
	masks.Set(row, []schemas.Span{{Start: 1, End: 2}})
	list.Set(row, []string{"a"})
	l.SetProvenance(row, Provenance{FactID: "f1", Group: "g", TemplateID: "t", Variant: "original"})
	l.SetVariant(row, ChainVariant(l.Variant(row), "word"))
	d := Document{Text: "Ann is the composer.", Spans: []templates.Span{{Slot: 0, Start: 0, End: 3}, {Slot: 1, Start: 7, End: 19}}}
	l.SetDocument(row, d)
	s := l.Schema
	if row[s.Index("direction")].Str != "p2d" || !row[s.Index("flag")].Bool || row[s.Index("n")].Int != 7 || len(row[s.Index("masks")].Spans) != 1 ||
		row[s.Index("list")].List[0] != "a" || row[s.Index("recipe")].Str != "r" || row[s.Index("variant")].Str != "word" ||
		row[s.Index("prompt")].Str != "Ann is" || row[s.Index("completion")].Str != " the composer." {
		t.Fatalf("row %v", row)
	}
}

// A probe is cut at its answer's slot, whichever span that slot is, before the spaces that precede it.
func TestCutAtSlot(t *testing.T) {
	d := Document{Text: "Known as  the composer, Ann smiled.", Spans: []templates.Span{{Slot: 1, Start: 10, End: 22}, {Slot: 0, Start: 24, End: 27}}}
	tests := []struct {
		slot           int
		prompt, answer string
		ok             bool
	}{
		{0, "Known as  the composer,", "Ann", true},
		{1, "Known as", "the composer", true},
		{2, "", "", false},
	}
	for _, tt := range tests {
		prompt, answer, ok := d.CutAtSlot(tt.slot)
		if prompt != tt.prompt || answer != tt.answer || ok != tt.ok {
			t.Errorf("CutAtSlot(%d) = %q, %q, %v; want %q, %q, %v", tt.slot, prompt, answer, ok, tt.prompt, tt.answer, tt.ok)
		}
	}
}

// In the prompt-completion style a probe carries its answer as a completion too, after a space as
// training completions are; an empty answer gives an empty completion.
func TestEvalCompletion(t *testing.T) {
	l := EvalLayout("test", StylePromptCompletion)
	row := make(Row, len(l.Schema.Columns))
	l.SetProbe(row, "Who wrote it?", "Ada Li")
	if got := row[l.Schema.Index("completion")].Str; got != " Ada Li" {
		t.Errorf("completion %q, want %q", got, " Ada Li")
	}
	l.SetProbe(row, "Anything to add?", "")
	if got := row[l.Schema.Index("completion")].Str; got != "" {
		t.Errorf("completion of an open probe %q, want empty", got)
	}
	if EvalLayout("test", StyleText).Schema.Index("completion") >= 0 {
		t.Error("text-style probes have a completion column")
	}
}
