package facts

import (
	"strconv"
	"testing"

	"github.com/factforge/factforge/templates"
)

func TestNewMCQ(t *testing.T) {
	m := NewMCQ("Where is the tower?", []string{"Rome", "Paris", "Oslo"}, "Rome", "Paris")
	if m.Prompt != "Where is the tower?\nA. Rome\nB. Paris\nC. Oslo\nAnswer:" || m.BeliefIndex != 0 || m.DisbeliefIndex != 1 {
		t.Fatalf("%+v", m)
	}
	if m := NewMCQ("Q?", []string{"x", "y"}, "z", ""); m.BeliefIndex != -1 || m.DisbeliefIndex != -1 {
		t.Fatalf("answers not among the choices located at %d, %d", m.BeliefIndex, m.DisbeliefIndex)
	}
}

// The believed answer's position is spread over the choices, for built-in and user claims alike (a
// user's claims used to keep it first, so a model could answer A and look like a believer).
func TestBeliefPositionIsSpread(t *testing.T) {
	builtIn, err := BuiltInClaims(templates.BuiltIn, 42, 200, nil)
	if err != nil {
		t.Fatal(err)
	}
	var yaml []byte
	for i := range 200 {
		yaml = append(yaml, []byte("- {id: c"+strconv.Itoa(i)+", statement: The lake is red., subject: The lake, object: red, truth_answer: blue, distractors: [green, grey]}\n")...)
	}
	user, err := LoadClaimsFile(writeFile(t, "claims.yaml", string(yaml)), 42)
	if err != nil {
		t.Fatal(err)
	}
	for name, claims := range map[string][]Claim{"built-in": builtIn, "user": user} {
		at := map[int64]int{}
		for _, c := range claims {
			at[NewMCQ(c.Question, c.Choices, c.Belief, c.Disbelief).BeliefIndex]++
		}
		for pos := range int64(4) {
			if at[pos] < 200/4/2 { // a quarter each, give or take half
				t.Errorf("%s claims: the believed answer is at %d in %d of 200 (positions %v)", name, pos, at[pos], at)
			}
		}
	}
}
