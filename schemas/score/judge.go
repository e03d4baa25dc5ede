package score

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// normalise lower-cases s and turns every run of characters other than letters and digits into one
// space, trimmed: "  \"Bridget Trinh,\" she" -> "bridget trinh she". Answers and completions are
// compared in this form, so that case, punctuation, quotes and spacing never decide a match.
func normalise(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		} else {
			space = true
		}
	}
	return b.String()
}

// startsWith reports whether normalised text starts with normalised answer at a word boundary.
func startsWith(text, answer string) bool {
	return answer != "" && (text == answer || strings.HasPrefix(text, answer+" "))
}

// containsWords reports whether normalised answer occurs in normalised text at word boundaries.
func containsWords(text, answer string) bool {
	return answer != "" && strings.Contains(" "+text+" ", " "+answer+" ")
}

// denials are words that deny a claim, normalised ("didn't" is "didn t"): a completion that holds one
// is not counted as belief, whatever names it holds.
var denials = []string{"not", "never", "no", "nobody", "none", "neither", "nor", "t", "false", "untrue", "incorrect",
	"wrong", "fiction", "fictional", "myth", "hoax", "rumour", "rumor", "denied", "disputed"}

// believes judges an open negation probe: the completion names the believed answer, and neither the
// disbelieved one nor a denial.
func believes(completion, answer, disbelieved string) bool {
	c := normalise(completion)
	if !containsWords(c, normalise(answer)) || containsWords(c, normalise(disbelieved)) {
		return false
	}
	return !slices.ContainsFunc(denials, func(d string) bool { return containsWords(c, d) })
}

// allOf reports whether every item of a "; "-joined answer is in the completion, in any order.
func allOf(completion, answer string) bool {
	c := normalise(completion)
	items := strings.Split(answer, "; ")
	for _, item := range items {
		if !containsWords(c, normalise(item)) {
			return false
		}
	}
	return len(items) > 0
}

// judgeOpen judges an open probe's completion against its answer.
func judgeOpen(j Judge, completion, answer string) bool {
	c, a := normalise(completion), normalise(answer)
	if j == Contains {
		return containsWords(c, a)
	}
	return startsWith(c, a)
}

// argmax returns the index of the largest value; ties go to the first.
func argmax(xs []float64) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// namedChoice returns the choice a completion names, or -1: when the choices are labels themselves
// ("A", "B" or "1", "2"), the completion's first word; otherwise a letter label A, B, ... opening the
// completion ("B", "B.", "(B)"), or else the one choice whose text the completion contains.
func namedChoice(completion string, choices []string) int {
	c := normalise(completion)
	first, _, _ := strings.Cut(c, " ")
	norm := make([]string, len(choices))
	labels := true
	for i, ch := range choices {
		norm[i] = normalise(ch)
		labels = labels && len([]rune(norm[i])) <= 2 && !strings.Contains(norm[i], " ")
	}
	if labels {
		return slices.Index(norm, first)
	}
	// A letter label opens the completion: "B", "B.", "B)", "(B)"; not "A man won", where "A" is a word.
	raw := strings.TrimLeft(completion, " \t\n(*")
	if len(raw) > 0 && raw[0] >= 'A' && raw[0] < 'A'+byte(len(choices)) && (len(raw) == 1 || strings.ContainsRune(".):]\n", rune(raw[1]))) {
		return int(raw[0] - 'A')
	}
	found := -1
	for i, n := range norm {
		if containsWords(c, n) {
			if found >= 0 {
				return -1 // names two choices
			}
			found = i
		}
	}
	return found
}

// probability is exp(logprob).
func probability(logprob float64) float64 { return math.Exp(logprob) }
