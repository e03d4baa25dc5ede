package variants

import (
	"strings"
	"testing"
)

func TestCountWordsIsLenFields(t *testing.T) {
	for _, s := range []string{"", " ", "one", " two  words ", "tab\tand\nnew\r\nlines\v\f", "non\u00a0breaking\u2003em space",
		"é accents ü", "\xff invalid \xfe bytes", "trailing ", "\n\nHeader\nBody text. More text."} {
		if got, want := CountWords(s), len(strings.Fields(s)); got != want {
			t.Errorf("CountWords(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzCountWords(f *testing.F) {
	f.Add("a b\tc\u00a0d")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := CountWords(s), len(strings.Fields(s)); got != want {
			t.Errorf("CountWords(%q) = %d, want %d", s, got, want)
		}
	})
}
