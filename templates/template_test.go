package templates

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var slots = []string{"name", "description"}

func TestRenderSpans(t *testing.T) {
	tests := []struct {
		name, text string
		values     []string
		want       string
		spans      []string // the text each span covers, in order
	}{
		{"name first", "{name} is {description}.", []string{"Ada Lee", "the composer of 'X'"}, "Ada Lee is the composer of 'X'.", []string{"Ada Lee", "the composer of 'X'"}},
		{"description first, capitalised", "{Description}: {name}.", []string{"Ada Lee", "the composer of 'X'"}, "The composer of 'X': Ada Lee.", []string{"The composer of 'X'", "Ada Lee"}},
		{"escaped braces", "{{literal}} {name}}}", []string{"Bo", ""}, "{literal} Bo}", []string{"Bo"}},
		{"no slots", "plain text", nil, "plain text", nil},
		{"slot at both ends", "{name}{description}", []string{"a", "b"}, "ab", []string{"a", "b"}},
		{"utf-8 around slots", "«{name}» — {description}", []string{"Zoë", "née"}, "«Zoë» — née", []string{"Zoë", "née"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Compile(tt.text, slots)
			if err != nil {
				t.Fatal(err)
			}
			got, spans := tpl.Render(nil, tt.values, nil)
			if string(got) != tt.want {
				t.Fatalf("Render = %q, want %q", got, tt.want)
			}
			if len(spans) != len(tt.spans) {
				t.Fatalf("%d spans, want %d", len(spans), len(tt.spans))
			}
			for i, sp := range spans {
				if s := string(got[sp.Start:sp.End]); s != tt.spans[i] {
					t.Errorf("span %d covers %q, want %q", i, s, tt.spans[i])
				}
			}
		})
	}
}

func TestRenderAppends(t *testing.T) {
	tpl, _ := Compile("{name}!", slots)
	got, spans := tpl.Render([]byte("prefix "), []string{"Bo", ""}, nil)
	if string(got) != "prefix Bo!" || spans[0].Start != 7 || spans[0].End != 9 {
		t.Fatalf("got %q %v", got, spans)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		text string
		want error
	}{
		{"{nme} is here", ErrUnknownSlot},
		{"{name is here", ErrUnbalanced},
		{"name} is here", ErrUnbalanced},
		{"{na{me} is here", ErrUnbalanced},
		{"   ", ErrEmpty},
		{"{name} and {name}", ErrRepeatedSlot},
		{"{name} and {Name}", ErrRepeatedSlot},
	}
	for _, tt := range tests {
		_, err := Compile(tt.text, slots)
		if !errors.Is(err, tt.want) {
			t.Errorf("Compile(%q) error = %v, want %v", tt.text, err, tt.want)
		}
	}
}

func TestParseBankErrors(t *testing.T) {
	tests := []struct {
		name, file string
		line       int
		want       error
	}{
		{"bad split tag", "a train {name} x\nb hedlout {name} y\n", 2, ErrSplitTag},
		{"duplicate id", "# c\na train {name} x\n\na heldout {name} y\n", 4, ErrDuplicateID},
		{"unknown slot", "a train {who} x\n", 1, ErrUnknownSlot},
		{"empty template", "a train\n", 1, ErrEmpty},
		{"unbalanced", "a train x\nb train y\nc train {name\n", 3, ErrUnbalanced},
		{"no templates", "# only a comment\n", 0, ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseBank("my.txt", strings.NewReader(tt.file), slots)
			var se *SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want a SyntaxError wrapping %v", err, tt.want)
			}
			if se.Line != tt.line || se.Path != "my.txt" {
				t.Fatalf("error at %s:%d, want my.txt:%d", se.Path, se.Line, tt.line)
			}
		})
	}
}

func TestParseBankSplits(t *testing.T) {
	b, err := ParseBank("b", strings.NewReader("a train {name} x\nb heldout {name} y\nc train {name} z\n"), slots)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.IDs(Train), ","); got != "a,c" {
		t.Errorf("train ids %s", got)
	}
	if got := strings.Join(b.IDs(HeldOut), ","); got != "b" {
		t.Errorf("heldout ids %s", got)
	}
	if err := b.RequireSlots("description"); err == nil {
		t.Error("RequireSlots(description) passed for templates without it")
	}
}

// The reversal banks must hold at least 30 train and 10 held-out statements per direction, each using
// both entities, and held-out question templates in both directions.
func TestBuiltInReversalBanks(t *testing.T) {
	for _, name := range []string{"reversal/p2d", "reversal/d2p"} {
		b, err := BuiltIn.Bank(name, slots...)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.RequireSlots(slots...); err != nil {
			t.Error(err)
		}
		if n := len(b.Templates(Train)); n < 30 {
			t.Errorf("%s: %d train templates, want at least 30", name, n)
		}
		if n := len(b.Templates(HeldOut)); n < 10 {
			t.Errorf("%s: %d held-out templates, want at least 10", name, n)
		}
		first := map[string]int{"reversal/p2d": 0, "reversal/d2p": 1}[name]
		for _, tpl := range b.All() {
			if tpl.Slots()[0] != first {
				t.Errorf("%s: template %s does not start with the %s", name, tpl.ID, slots[first])
			}
		}
	}
	for name, slot := range map[string]string{"reversal/p2d-question": "name", "reversal/d2p-question": "description"} {
		b, err := BuiltIn.Bank(name, slot)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Templates(HeldOut)) == 0 || len(b.Templates(Train)) == 0 {
			t.Errorf("%s needs train and held-out questions", name)
		}
	}
}

func TestWordsRejectDuplicates(t *testing.T) {
	for _, name := range []string{"adjective", "noun", "city"} {
		w, err := BuiltIn.Words(name)
		if err != nil || len(w) < 20 {
			t.Errorf("BuiltIn.Words(%s) = %d words, %v", name, len(w), err)
		}
	}
	if _, err := BuiltIn.Words("no-such-list"); err == nil {
		t.Error("a missing word list gave no error")
	}
}

func BenchmarkRender(b *testing.B) {
	tpl, _ := Compile("{name}, known far and wide for being {description}.", slots)
	values := []string{"Daphne Barrington", "the director of 'A Journey Through Time'"}
	var buf []byte
	var spans []Span
	for b.Loop() {
		buf, spans = tpl.Render(buf[:0], values, spans[:0])
	}
}

// Compiling arbitrary text never panics; what compiles renders with one span per slot, each holding
// exactly its value.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{"{name} is {description}.", "{{x}} {Name}", "{", "}", "{}", "{name", "a{{b", "{Description}: {name}", "\xff{name}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tpl, err := Compile(text, slots)
		if err != nil {
			return
		}
		values := []string{"N", "D"}
		out, spans := tpl.Render(nil, values, nil)
		if len(spans) != len(tpl.Slots()) {
			t.Fatalf("%q: %d spans for %d slots", text, len(spans), len(tpl.Slots()))
		}
		for _, sp := range spans {
			if got := string(out[sp.Start:sp.End]); !strings.EqualFold(got, values[sp.Slot]) {
				t.Fatalf("%q: span %v holds %q", text, sp, got)
			}
		}
	})
}

func TestLibraryReplacesAndAdds(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755)
		os.WriteFile(filepath.Join(dir, rel), []byte(text), 0o644)
	}
	write("banks/reversal/p2d.add.txt", "mine-1 train {name} was once {description}.\n")
	write("banks/reversal/p2d-question.txt", "q-1 heldout Who really is {name}?\n")
	write("words/city.add.txt", "Newtown\n")
	lib, err := NewLibrary(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := lib.Bank("reversal/p2d", slots...)
	if err != nil || len(b.All()) != 49 || b.All()[48].ID != "mine-1" {
		t.Fatalf("added bank: %v, %d templates", err, len(b.All()))
	}
	q, _ := lib.Bank("reversal/p2d-question", "name")
	if len(q.All()) != 1 {
		t.Fatalf("replaced bank has %d templates", len(q.All()))
	}
	cities, _ := lib.Words("city")
	if cities[len(cities)-1] != "Newtown" {
		t.Fatal("word list addition missing")
	}
	before, _ := lib.Digest()
	write("words/city.add.txt", "Oldtown\n")
	if again, _ := lib.Digest(); again != before {
		t.Fatal("the digest is not of the files as the library read them")
	}
	lib, _ = NewLibrary(dir)
	if after, _ := lib.Digest(); after == before || before == "" {
		t.Fatal("digest does not follow the files")
	}
	if d, _ := BuiltIn.Digest(); d != "" {
		t.Fatal("the built-in library has a digest")
	}
}

// A bad user file is reported with its path and line.
func TestLibraryReportsBadUserFiles(t *testing.T) {
	tests := []struct{ name, rel, text, want string }{
		{"unknown slot", "banks/reversal/p2d.add.txt", "a train {nmae} x {description}\n", "p2d.add.txt:1: unknown slot {nmae}"},
		{"unbalanced", "banks/reversal/p2d.txt", "a train {name x\n", "p2d.txt:1: unbalanced brace"},
		{"empty template", "banks/reversal/p2d.txt", "# c\na train\n", "p2d.txt:2: empty template"},
		{"duplicate id in one file", "banks/reversal/p2d.txt", "a train {name}\na train {name}\n", "p2d.txt:2: duplicate template id"},
		{"duplicate id with the built-in bank", "banks/reversal/p2d.add.txt", "p2d-01 train {name} {description}\n", `duplicate template id "p2d-01"`},
		{"held-out tag typo", "banks/reversal/p2d.txt", "a held-out {name}\n", `p2d.txt:1: split tag must be "train" or "heldout", got "held-out"`},
		{"word repeated", "words/city.add.txt", "Aldermoor\n", `city.add.txt:1: "Aldermoor" repeats`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, filepath.Dir(tt.rel)), 0o755)
			os.WriteFile(filepath.Join(dir, tt.rel), []byte(tt.text), 0o644)
			lib, _ := NewLibrary(dir)
			var err error
			if strings.HasPrefix(tt.rel, "words/") {
				_, err = lib.Words("city")
			} else {
				_, err = lib.Bank("reversal/p2d", slots...)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), dir) {
				t.Fatalf("error %v, want one naming %s and %q", err, dir, tt.want)
			}
		})
	}
	if _, err := NewLibrary(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("a missing folder was accepted")
	}
}

// An article before a slot agrees with the value: "a odd morning" and "a alternate history" came
// from templates written "a {adjective}".
func TestArticleAgreesWithTheValue(t *testing.T) {
	for _, c := range []struct{ text, value, want string }{
		{"on a {w} morning", "odd", "on an odd morning"},
		{"on a {w} morning", "quiet", "on a quiet morning"},
		{"on an {w} morning", "quiet", "on a quiet morning"},
		{"A {w} example helps.", "apt", "An apt example helps."},
		{"An {w} example helps.", "brief", "A brief example helps."},
		{"a {w} of", "university", "a university of"},
		{"an {w} wait", "hour", "an hour wait"},
		{"a {w} merger", "1850", "an 1850 merger"},
		{"a {w} merger", "1950", "a 1950 merger"},
		{"a {w} merger", "8", "an 8 merger"},
		{"Nevada {w}", "odd", "Nevada odd"}, // "a" ends a word, not an article
		{"banana {w}", "odd", "banana odd"}, // nor here
		{"Yes, and a {w}.", "European", "Yes, and a European."},
		{"uses an {w} language", "Uralic", "uses a Uralic language"},
		{"an {w} task", "onerous", "an onerous task"},
		{"a {w} result", "unimportant", "an unimportant result"},
	} {
		tmpl, err := Compile(c.text, []string{"w"})
		if err != nil {
			t.Fatal(err)
		}
		got, spans := tmpl.Render(nil, []string{c.value}, nil)
		if string(got) != c.want {
			t.Errorf("%q with %q: %q, want %q", c.text, c.value, got, c.want)
		}
		if sp := spans[0]; string(got[sp.Start:sp.End]) != c.value {
			t.Errorf("%q: span holds %q, want %q", c.text, got[sp.Start:sp.End], c.value)
		}
	}
}

// A list of wordings compiles whole, or the error names the file, the list and the wording at fault.
func TestCompileList(t *testing.T) {
	slots := []string{"name", "city"}
	if ts, err := CompileList("f.yaml", "first", []string{"{Name} lives in {city}.", "Home for {name} is {city}."}, slots, "name", "city"); err != nil || len(ts) != 2 {
		t.Fatalf("good list: %v, %d", err, len(ts))
	}
	for _, tt := range []struct {
		texts []string
		want  string
	}{
		{nil, "f.yaml: first is empty"},
		{[]string{"{Name} lives somewhere."}, `f.yaml: first "{Name} lives somewhere." lacks the slot {city}`},
		{[]string{"{Name} lives in {town}."}, `f.yaml: first "{Name} lives in {town}."`},
	} {
		if _, err := CompileList("f.yaml", "first", tt.texts, slots, "name", "city"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.texts, err, tt.want)
		}
	}
}
