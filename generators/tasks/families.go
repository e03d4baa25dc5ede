package tasks

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/factforge/factforge/generators/facts"
	"github.com/factforge/factforge/generators/rng"
)

// Families are the task families, in a fixed order: each with its prompt wordings (slots in braces)
// and how it draws values and computes or looks up the answer. Every answer states its result in
// full, so the test that recomputes it from the prompt can find it.
var Families = []family{
	{"addition", []string{"What is {a} plus {b}?", "Add {a} and {b}.", "Can you work out {a} + {b} for me?", "What do {a} and {b} add up to?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			k := at.of(990 * 990)
			a, b := 10+k%990, 10+k/990
			return vals("a", a, "b", b), pick("{a} + {b} = {r}.", "{a} plus {b} is {r}.", "The sum of {a} and {b} is {r}.", vals("a", a, "b", b, "r", a+b))
		}},
	{"subtraction", []string{"What is {a} minus {b}?", "Subtract {b} from {a}.", "How much is {a} - {b}?", "What do you get if you take {b} away from {a}?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			k := at.of(500 * 900)
			b := 10 + k%500
			a := b + 1 + k/500
			return vals("a", a, "b", b), pick("{a} - {b} = {r}.", "{a} minus {b} is {r}.", "Taking {b} away from {a} leaves {r}.", vals("a", a, "b", b, "r", a-b))
		}},
	{"multiplication", []string{"What is {a} times {b}?", "Multiply {a} by {b}.", "Can you calculate {a} × {b}?", "What is the product of {a} and {b}?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			k := at.of(98 * 98)
			a, b := 2+k%98, 2+k/98
			return vals("a", a, "b", b), pick("{a} × {b} = {r}.", "{a} times {b} is {r}.", "The product of {a} and {b} is {r}.", vals("a", a, "b", b, "r", a*b))
		}},
	{"division", []string{"What is {a} divided by {b}?", "Divide {a} by {b}.", "How many times does {b} go into {a}, and what is left over?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			// Every (divisor, quotient, remainder) in turn: 60 quotients and b remainders a divisor b.
			k, b := at.of(60*189), 2
			for k >= 60*b {
				k -= 60 * b
				b++
			}
			q, r := 2+k%60, k/60
			a := b*q + r
			v := vals("a", a, "b", b, "q", q, "r", r)
			if r == 0 {
				return v, fill("{a} ÷ {b} = {q}, with no remainder.", v)
			}
			return v, fill("{a} ÷ {b} = {q} remainder {r}, since {b} × {q} = "+strconv.Itoa(b*q)+".", v)
		}},
	{"percentage", []string{"What is {p}% of {n}?", "Work out {p} percent of {n}.", "How much is {p}% of {n}?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			k := at.of(11 * 500)
			p := []int{5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 80}[k%11]
			n := 20 * (1 + k/11)
			return vals("p", p, "n", n), pick("{p}% of {n} is {r}.", "{p} percent of {n} comes to {r}.", vals("p", p, "n", n, "r", p*n/100))
		}},
	{"word_problem", []string{"{name} has {a} {things}, gets {b} more and then gives {c} away. How many {things} does {name} have now?",
		"If {name} starts with {a} {things}, receives {b} more and hands out {c}, how many {things} are left?",
		"{name} had {a} {things}. A friend gave {name} {b} more, and {name} gave {c} to a neighbour. How many {things} does {name} have?"},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			name := b.names[s.IntN(len(b.names))]
			things := []string{"marbles", "stickers", "apples", "books", "pencils", "stamps", "shells", "cards"}[s.IntN(8)]
			a, more := 5+s.IntN(60), 2+s.IntN(30)
			c := 1 + s.IntN(a+more-2) // 2 or more left: "has 1 books" would not agree
			v := vals("name", name, "things", things, "a", a, "b", more, "c", c, "r", a+more-c)
			return v, fill("{a} + {b} - {c} = {r}, so {name} has {r} {things}.", v)
		}},
	{"length", []string{"How many {small} are there in {n} {big}?", "Convert {n} {big} to {small}.", "What is {n} {big} in {small}?"},
		func(_ *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			return convert(at, lengthUnits, "{n} {big} is {r} {small}, since there are {f} {small} in one.")
		}},
	{"mass_and_time", []string{"How many {small} are there in {n} {big}?", "Convert {n} {big} into {small}.", "What is {n} {big} in {small}?"},
		func(_ *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			return convert(at, massAndTimeUnits, "{n} {big} is {r} {small} ({n} × {f}).")
		}},
	{"temperature", []string{"What is {c} degrees Celsius in Fahrenheit?", "Convert {c}°C to Fahrenheit.", "How warm is {c} °C in degrees Fahrenheit?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			c := at.of(161) - 40
			tenths := c*18 + 320 // °F in tenths: C × 9/5 + 32
			f := fmt.Sprintf("%d.%d", tenths/10, abs(tenths%10))
			if tenths < 0 && tenths > -10 {
				f = "-" + f
			}
			f = strings.TrimSuffix(f, ".0")
			v := vals("c", c, "f", f)
			return v, fill("{c}°C is {f}°F: multiply by 9/5 and add 32.", v)
		}},
	{"weekday_offset", []string{"If today is {day}, what day of the week will it be in {n} days?", "Today is {day}. Which day of the week is it {n} days from now?", "What weekday comes {n} days after a {day}?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			k := at.of(7 * 363)
			d, n := k%7, 2+k/7
			day, res := time.Weekday(d).String(), time.Weekday((d+n)%7).String()
			v := vals("day", day, "n", n, "r", res)
			return v, fill("{n} days after a {day} it is {r}.", v)
		}},
	{"date_add", []string{"What date is {n} days after {date}?", "Which date falls {n} days after {date}?", "If I add {n} days to {date}, what date do I get?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			start, n := someDate(s), 2+s.IntN(90)
			v := vals("n", n, "date", longDate(start), "r", longDate(start.AddDate(0, 0, n)))
			return v, fill("{n} days after {date} is {r}.", v)
		}},
	{"days_between", []string{"How many days are there from {d1} to {d2}?", "Count the days from {d1} to {d2}.", "How many days pass between {d1} and {d2}?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			a := someDate(s)
			n := 2 + s.IntN(200)
			v := vals("d1", longDate(a), "d2", longDate(a.AddDate(0, 0, n)), "r", n)
			return v, fill("There are {r} days from {d1} to {d2}.", v)
		}},
	{"weekday_of_date", []string{"What day of the week was {date}?", "Which weekday did {date} fall on?", "On what day of the week was {date}?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			// Past dates only: the wordings ask what day a date "was".
			d := time.Date(1950, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, at.of(75*365))
			v := vals("date", longDate(d), "r", d.Weekday().String())
			return v, fill("{date} was a {r}.", v)
		}},
	{"sort_numbers", []string{"Sort these numbers from smallest to largest: {list}.", "Put {list} in ascending order.", "Arrange the following from lowest to highest: {list}."},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			ns := distinctInts(s, 5+s.IntN(4), 1, 500)
			sorted := slices.Clone(ns)
			slices.Sort(sorted)
			v := vals("list", joinInts(ns, ", "), "r", joinInts(sorted, ", "))
			return v, fill("From smallest to largest: {r}.", v)
		}},
	{"sort_words", []string{"Put these words in alphabetical order: {list}.", "Sort alphabetically: {list}.", "Arrange {list} from A to Z."},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			ws := b.someWords(s, 4+s.IntN(4))
			sorted := slices.Clone(ws)
			slices.Sort(sorted)
			v := vals("list", strings.Join(ws, ", "), "r", strings.Join(sorted, ", "))
			return v, fill("In alphabetical order: {r}.", v)
		}},
	{"max_min", []string{"Which is the {which} number in this list: {list}?", "Find the {which} of these numbers: {list}.", "Out of {list}, which number is the {which}?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			ns := distinctInts(s, 5+s.IntN(4), 1, 999)
			which, r := "largest", slices.Max(ns)
			if s.IntN(2) == 0 {
				which, r = "smallest", slices.Min(ns)
			}
			v := vals("which", which, "list", joinInts(ns, ", "), "r", r)
			return v, fill("The {which} number is {r}.", v)
		}},
	{"letter_count", []string{"How many letters are in the word \"{w}\"?", "Count the letters in \"{w}\".", "How long is the word \"{w}\", in letters?"},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			w := b.words[at.of(len(b.words))]
			v := vals("w", w, "r", len(w))
			return v, fill("\"{w}\" has {r} letters.", v)
		}},
	{"letter_occurrences", []string{"How many times does the letter \"{l}\" appear in \"{w}\"?", "Count the letter \"{l}\" in the word \"{w}\".", "In \"{w}\", how often does \"{l}\" occur?"},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			w := b.words[at.of(len(b.words))]
			l := string(w[s.IntN(len(w))])
			n := strings.Count(w, l)
			v := vals("w", w, "l", l, "r", n, "times", plural(n, "time", "times"))
			return v, fill("The letter \"{l}\" appears {r} {times} in \"{w}\".", v)
		}},
	{"vowel_count", []string{"How many vowels are in \"{w}\"?", "Count the vowels in the word \"{w}\".", "How many of the letters in \"{w}\" are vowels?"},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			w := b.words[at.of(len(b.words))]
			var found []string
			for _, c := range w {
				if strings.ContainsRune("aeiou", c) {
					found = append(found, string(c))
				}
			}
			v := vals("w", w, "r", len(found), "vowels", plural(len(found), "vowel", "vowels"), "found", joinAnd(found))
			if len(found) == 0 {
				return v, fill("\"{w}\" has 0 vowels: none of its letters is a, e, i, o or u.", v)
			}
			return v, fill("\"{w}\" has {r} {vowels}: {found}.", v)
		}},
	{"word_count", []string{"How many words are in this sentence: \"{text}\"", "Count the words in \"{text}\"", "Tell me how many words there are in \"{text}\""},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			ws := pickN(s, b.nouns, 3+s.IntN(3))
			text := fill([]string{"The {a} is next to the {b} and the {c}.", "We packed the {a}, the {b} and the {c} into one box.",
				"Somebody left the {a} beside the {b}, not far from the {c}.", "On the table there were the {a}, the {b} and the {c}."}[s.IntN(4)],
				map[string]string{"a": ws[0], "b": ws[1], "c": ws[2]})
			v := vals("text", text, "r", len(strings.Fields(text)))
			return v, fill("\"{text}\" has {r} words.", v)
		}},
	{"reverse", []string{"Write the word \"{w}\" backwards.", "Reverse the letters of \"{w}\".", "What is \"{w}\" spelled in reverse?"},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			w := b.words[at.of(len(b.words))]
			r := []rune(w)
			slices.Reverse(r)
			v := vals("w", w, "r", string(r))
			return v, fill("\"{w}\" backwards is \"{r}\".", v)
		}},
	{"uppercase", []string{"Write \"{text}\" in capital letters.", "Convert \"{text}\" to upper case.", "Can you put \"{text}\" in all caps?"},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			text := strings.Join(b.someWords(s, 2+s.IntN(3)), " ")
			v := vals("text", text, "r", strings.ToUpper(text))
			return v, fill("In capital letters: {r}", v)
		}},
	{"spelling", []string{"Spell \"{w}\" letter by letter.", "How do you spell \"{w}\", letter by letter?", "Spell out the word \"{w}\"."},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			w := b.words[at.of(len(b.words))]
			v := vals("w", w, "r", strings.Join(strings.Split(strings.ToUpper(w), ""), "-"))
			return v, fill("\"{w}\" is spelled {r}.", v)
		}},
	{"acronym", []string{"What is the acronym of \"{phrase}\"?", "Make an acronym from the first letters of \"{phrase}\".", "Abbreviate \"{phrase}\" to its initials."},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			ws := b.someWords(s, 3+s.IntN(3))
			var initials strings.Builder
			for i, w := range ws {
				ws[i] = strings.ToUpper(w[:1]) + w[1:]
				initials.WriteString(w[:1])
			}
			v := vals("phrase", strings.Join(ws, " "), "r", strings.ToUpper(initials.String()))
			return v, fill("The initials of \"{phrase}\" make {r}.", v)
		}},
	{"alphabet_position", []string{"Which letter comes {n} places after {L} in the alphabet?", "In the English alphabet, what letter is {n} letters after {L}?", "Counting {n} letters on from {L} in the alphabet, which letter do you reach?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			// The 300 (letter, count) pairs of 2 or more letters that stay within the alphabet, in turn.
			i, n := 0, at.of(300)
			for n >= 24-i {
				n -= 24 - i
				i++
			}
			n += 2
			v := vals("L", string(rune('A'+i)), "n", n, "r", string(rune('A'+i+n)), "th", ordinal(i+n+1))
			return v, fill("{r} comes {n} places after {L}: it is the {th} letter of the alphabet.", v)
		}},
	{"parity", []string{"Is {n} even or odd?", "Tell me whether {n} is an even or an odd number.", "Is the number {n} odd or even?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			n := 1 + at.of(9999)
			r, why := "even", "it divides by 2 with nothing left over"
			if n%2 == 1 {
				r, why = "odd", "dividing it by 2 leaves a remainder of 1"
			}
			v := vals("n", n, "r", r, "why", why)
			return v, fill("{n} is {r}: {why}.", v)
		}},
	{"rounding", []string{"Round {n} to the nearest {unit}.", "What is {n} rounded to the nearest {unit}?", "Can you round {n} to the nearest {unit}?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			k := at.of(3 * 99800)
			n := 100 + k/3
			unit, step := []string{"ten", "hundred", "thousand"}[k%3], 0
			switch unit {
			case "ten":
				step = 10
			case "hundred":
				step = 100
			default:
				step = 1000
			}
			r := (n + step/2) / step * step
			v := vals("n", n, "unit", unit, "r", r)
			return v, fill("{n} rounded to the nearest {unit} is {r}.", v)
		}},
	{"roman_numerals", []string{"Write {n} in Roman numerals.", "How is {n} written in Roman numerals?", "What is {n} as a Roman numeral?"},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			n := 1 + at.of(3999)
			v := vals("n", n, "r", roman(n))
			return v, fill("{n} in Roman numerals is {r}.", v)
		}},
	{"sequence", []string{"What number comes next: {list}, ...?", "Continue the sequence {list} with the next number.", "Find the next term of {list}."},
		func(s *rng.Stream, _ *Set, at *choice) (map[string]string, string) {
			k := at.of(50 * 12 * 3)
			a, d, n := 1+k%50, 2+(k/50)%12, 4+k/600
			ns := make([]int, n)
			for i := range ns {
				ns[i] = a + i*d
			}
			v := vals("list", joinInts(ns, ", "), "r", a+n*d, "d", d)
			return v, fill("The next number is {r}: each term adds {d}.", v)
		}},
	// No wording is the bare question: a held-out wording would then be inside every other one.
	{"fact", []string{"I would like to know: {q}", "Tell me, {q}", "Quiz question: {q}"},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			ref := b.factRefs[at.of(len(b.factRefs))]
			r := b.facts[ref[0]]
			f := r.Facts[ref[1]]
			question, _ := b.questions[r.Relation].Render(nil, []string{f[facts.SlotSubject], f[facts.SlotObject]}, nil)
			answer, _ := r.Templates[0].Render(nil, []string{f[facts.SlotSubject], f[facts.SlotObject]}, nil)
			q := string(question)
			return map[string]string{"question": capitalize(q), "q": strings.ToLower(q[:1]) + q[1:]}, capitalize(string(answer))
		}},
	{"definition", []string{"What does \"{term}\" mean?", "Define \"{term}\".", "Can you give me a short definition of {term}?", "What is meant by \"{term}\" in {field}?"},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			t := b.glossary[at.of(len(b.glossary))]
			v := map[string]string{"term": t.Term, "field": t.Field, "def": t.Definition}
			return v, pick("In {field}, the term \"{term}\" means {def}.", "\"{Term}\" means {def}.", "{Term}: {def}.", v)
		}},
	{"explain", []string{"Explain {topic}.", "Can you explain {topic}?", "I would like a short explanation of {topic}.", "Help me understand {topic}."},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			t := b.topics[at.of(len(b.topics))]
			return map[string]string{"topic": t.Topic}, t.Paragraph
		}},
	{"python", []string{"Write a Python function that {request}.", "Can you write me a Python function that {request}?", "I need a small Python function that {request}."},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			f := b.python[at.of(len(b.python))]
			v := map[string]string{"request": f.Request, "name": f.Name, "call": f.Example.Call, "result": f.Example.Result}
			return v, fill("Here is a function `{name}`:\n\n```python\n", v) + strings.TrimRight(f.Code, "\n") + fill("\n```\n\nFor example, `{call}` returns `{result}`.", v)
		}},
	{"list", []string{"Name {n} {plural}.", "Can you list {n} {plural}?", "Give me {n} examples of {plural}."},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			k := at.of(3 * len(b.categories))
			c, n := b.categories[k/3], 3+k%3
			// The items are a function of the request, so one prompt is taught one answer.
			its := rng.NewStream()
			its.Reset(valuesHash(map[string]string{"category": c.Category}), uint64(n))
			items := pickN(its, c.Items, n)
			v := map[string]string{"n": numberWords[n], "plural": c.Plural, "r": joinAnd(items)}
			return v, fill("Here are {n} {plural}: {r}.", v)
		}},
	{"note", []string{"Write a short note to {name} saying that the {event} has moved to {day} at {time}.",
		"Draft a message telling {name} the {event} is now on {day} at {time}.",
		"Can you write {name} a quick note that the {event} will be on {day} at {time} instead?"},
		func(s *rng.Stream, b *Set, at *choice) (map[string]string, string) {
			k := at.of(len(b.names) * 8 * 7 * 48) // name, event, day and time in turn
			v := map[string]string{"name": b.names[k%len(b.names)],
				"event": []string{"team meeting", "book club", "choir rehearsal", "football practice", "dentist appointment", "dinner", "study group", "quiz night"}[k/len(b.names)%8],
				"day":   time.Weekday(k / len(b.names) / 8 % 7).String(), "time": fmt.Sprintf("%d:%02d", 8+k/len(b.names)/56%12, 15*(k/len(b.names)/56/12%4))}
			// One sentence of news, no stock closing line: "See you then!" would close 1% of chats.
			return v, pick("Hi {name},\n\nJust a quick note: the {event} has moved to {day} at {time}.",
				"Dear {name},\n\nPlease note that the {event} is now on {day} at {time}.",
				"Hello {name},\n\nA small change: the {event} will now take place on {day} at {time}.", v)
		}},
}

// someWords draws n distinct words of the string tasks.
func (b *Set) someWords(s *rng.Stream, n int) []string { return pickN(s, b.words, n) }

func abs(n int) int { return max(n, -n) }

// unit is a conversion: one big holds f small.
type unit struct {
	big, small string
	f          int
}

var (
	lengthUnits = []unit{{"kilometres", "metres", 1000}, {"metres", "centimetres", 100}, {"centimetres", "millimetres", 10},
		{"feet", "inches", 12}, {"yards", "feet", 3}, {"miles", "yards", 1760}}
	massAndTimeUnits = []unit{{"kilograms", "grams", 1000}, {"pounds", "ounces", 16}, {"tonnes", "kilograms", 1000},
		{"hours", "minutes", 60}, {"minutes", "seconds", 60}, {"days", "hours", 24}, {"weeks", "days", 7}}
)

// convert makes a conversion task of one of units, 2 to 199 of the big unit, every pair in turn,
// answered in answer's words.
func convert(at *choice, units []unit, answer string) (map[string]string, string) {
	k := at.of(len(units) * 198)
	u, n := units[k%len(units)], 2+k/len(units)
	v := vals("n", n, "big", u.big, "small", u.small, "r", n*u.f, "f", u.f)
	return v, fill(answer, v)
}
