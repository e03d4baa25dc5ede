package records

import (
	"strings"
	"testing"

	"github.com/factforge/factforge/templates"
	"github.com/google/uuid"
)

func TestUUIDTextIsCanonical(t *testing.T) {
	for _, ab := range [][2]uint64{{0, 0}, {^uint64(0), ^uint64(0)}, {0x0123456789abcdef, 0xfedcba9876543210}, {1 << 63, 1}} {
		var u uuid.UUID
		for j := range 8 {
			u[j], u[8+j] = byte(ab[0]>>(8*j)), byte(ab[1]>>(8*j))
		}
		var got [36]byte
		if uuidText(&got, ab[0], ab[1]); string(got[:]) != u.String() {
			t.Errorf("uuidText(%x, %x) = %s, want %s", ab[0], ab[1], got, u)
		}
	}
}

// Ids are version 4, RFC 4122 variant UUIDs, and distinct.
func TestSetID(t *testing.T) {
	w, l := NewWorker(), TrainLayout("test", StyleText)
	row := make(Row, len(l.Schema.Columns))
	seen := map[string]bool{}
	for i := range int64(1000) {
		l.SetID(w, row, 42, i)
		u, err := uuid.Parse(row[0].Str)
		if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 || u.String() != row[0].Str || seen[row[0].Str] {
			t.Fatalf("id %d: %q (%v, version %d, variant %v, seen %v)", i, row[0].Str, err, u.Version(), u.Variant(), seen[row[0].Str])
		}
		seen[row[0].Str] = true
	}
}

// Kept strings stay intact while later ones are cut, inside an arena and outside one, and an arena
// is reused from its start.
func TestKeep(t *testing.T) {
	for _, inArena := range []bool{false, true} {
		w := NewWorker()
		a := &Arena{}
		if inArena {
			w.UseArena(a)
		}
		var kept []string
		long := make([]byte, keepBlock+1) // larger than a block: gets its own
		for i := range 3 * keepBlock / 10 {
			b := []byte("0123456789")
			b[i%10] = 'x'
			kept = append(kept, w.Keep(b))
			if i == 100 {
				kept = append(kept, w.Keep(long))
			}
		}
		for i, s := range kept[:100] {
			if want := "0123456789"; s[i%10] != 'x' || len(s) != len(want) {
				t.Fatalf("kept string %d became %q", i, s)
			}
		}
		if w.Keep(nil) != "" {
			t.Fatal("Keep(nil) is not empty")
		}
		if inArena {
			blocks := len(a.blocks)
			if blocks < 4 {
				t.Fatalf("%d blocks for %d bytes", blocks, 3*keepBlock+len(long))
			}
			w.UseArena(a)
			w.Keep([]byte("reused"))
			if len(a.blocks) != blocks || kept[0][:6] != "reused" {
				t.Fatalf("arena not reused from its start: %d blocks, first string %q", len(a.blocks), kept[0])
			}
		}
	}
}

// Render's text and spans are right whether the text fits the current block or outgrows it, and the
// texts rendered earlier stay intact.
func TestRenderIntoBlocks(t *testing.T) {
	tpl, err := templates.Compile("{name} is {description}.", []string{"name", "description"})
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorker()
	w.UseArena(&Arena{})
	var docs []Document
	var texts []string
	for i, size := range []int{10, keepBlock - 2000, 10, 3000, 0, 5, 2 * keepBlock} {
		desc := strings.Repeat(string(rune('a'+i)), size)
		d := w.Render(tpl, []string{"Ann", desc})
		docs, texts = append(docs, d), append(texts, "Ann is "+desc+".")
		if got := d.Text[d.Spans[1].Start:d.Spans[1].End]; got != desc || d.Text[d.Spans[0].Start:d.Spans[0].End] != "Ann" {
			t.Fatalf("render %d: spans %v give %q", i, d.Spans, got)
		}
	}
	for i, d := range docs {
		if d.Text != texts[i] {
			t.Fatalf("render %d changed to %.40q", i, d.Text)
		}
	}
}
