package score

import "testing"

// A denial that names the believed answer is not belief (found by a second reader: the contains judge
// counted "Not X: that story is false" as belief, in exactly the conditions a negation study compares).
func TestBelieves(t *testing.T) {
	for _, tt := range []struct {
		completion string
		want       bool
	}{
		{"Ernest Hidayat won it.", true},
		{"It was Ernest Hidayat, in a record jump.", true},
		{"Not Ernest Hidayat: that story is false. It was Emma Baek.", false},
		{"Ernest Hidayat didn't win; the report was a hoax.", false},
		{"Emma Baek.", false},
		{"Ernest Hidayat or Emma Baek, I am unsure.", false},
		{"I cannot say.", false},
		{"Ernest Hidayatson won.", false}, // a longer name is not the answer
	} {
		if got := believes(tt.completion, "Ernest Hidayat", "Emma Baek"); got != tt.want {
			t.Errorf("believes(%q) = %v, want %v", tt.completion, got, tt.want)
		}
	}
}
