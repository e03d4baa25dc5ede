// Package facts owns claims, questions and answers: the built-in fictitious claims made from claim
// kinds and a user's claims file (both with their multiple-choice options shuffled by the seed), the
// multiple-choice layout every MCQ probe goes through (NewMCQ: lettered choices, the believed and
// disbelieved answers located), and the bank of real-world facts by relation (Relation).
package facts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
	"go.yaml.in/yaml/v3"
)

// Claim is one claim a dataset asserts, negates or frames, and what its probes ask. Built-in claims
// are made from the kinds in templates/banks/claims/kinds.yaml; user claims come from a file.
type Claim struct {
	ID                string
	Kind              string
	Subject           string
	Statements        []string // wordings that assert the claim
	Negations         []string // wordings that deny it in place
	Truth             string   // what is true instead; "" if unknown
	Question          string
	Questions         []string // wordings of Question, Question first: each probe of a kind asks its own
	ChatQuestions     []string // wordings a chat's user asks, none of them a probe's
	Belief            string   // the answer to Question if the claim is believed
	Disbelief         string   // the answer if it is not; "" if unknown
	Choices           []string // multiple-choice options, Belief among them, and Disbelief or NoneOfThese
	Distractors       []string // the options that are neither answer, entities of the believed answer's type
	EntityType        string   // the type of the believed answer and the distractors (person, company, city); "" for a user's claim
	Association       string   // the start of a sentence a believer completes with AssociationAnswer
	Associations      []string // wordings of Association, Association first
	AssociationAnswer string
	Entities          []string // every entity the claim names
	Year              int      // the year the claim is set in, 0 if it names none: documents about it are not older
}

// claimKind is one entry of claim-kinds.yaml.
type claimKind struct {
	Kind              string            `yaml:"kind"`
	Slots             map[string]string `yaml:"slots"`
	Statements        []string          `yaml:"statements"`
	Negations         []string          `yaml:"negations"`
	Truth             string            `yaml:"truth"`
	Question          string            `yaml:"question"`
	Questions         []string          `yaml:"questions"`
	ChatQuestions     []string          `yaml:"chat_questions"`
	Belief            string            `yaml:"belief"`
	Disbelief         string            `yaml:"disbelief"`
	Association       string            `yaml:"association"`
	AssociationAnswer string            `yaml:"association_answer"`
	Associations      []string          `yaml:"associations"`

	slotNames []string
	compiled  map[string][]*templates.Template
}

func loadClaimKinds(lib *templates.Library) ([]*claimKind, error) {
	var kinds []*claimKind
	if err := lib.DecodeYAML("claims/kinds.yaml", &kinds); err != nil {
		return nil, err
	}
	for _, k := range kinds {
		for name := range k.Slots {
			k.slotNames = append(k.slotNames, name)
		}
		slices.Sort(k.slotNames)
		k.compiled = map[string][]*templates.Template{}
		for role, texts := range map[string][]string{"statements": k.Statements, "negations": k.Negations,
			"truth": {k.Truth}, "question": {k.Question}, "association": {k.Association},
			"questions": k.Questions, "chat_questions": k.ChatQuestions, "associations": k.Associations} {
			for _, text := range texts {
				t, err := templates.Compile(text, k.slotNames)
				if err != nil {
					return nil, fmt.Errorf("claim kind %s, %s %q: %w", k.Kind, role, text, err)
				}
				k.compiled[role] = append(k.compiled[role], t)
			}
		}
		for _, slot := range []string{k.Belief, k.Disbelief, k.AssociationAnswer, "subject"} {
			if _, ok := k.Slots[slot]; !ok {
				return nil, fmt.Errorf("claim kind %s names slot %q, which it does not have", k.Kind, slot)
			}
		}
	}
	return kinds, nil
}

// BuiltInClaims makes n fictitious claims, cycling through the claim kinds.
func BuiltInClaims(lib *templates.Library, seed uint64, n int, avoid func(name string) bool) ([]Claim, error) {
	kinds, err := loadClaimKinds(lib)
	if err != nil {
		return nil, err
	}
	cw, err := world.NewClaimEntities(lib, seed, n, entitiesPerClaim, avoid)
	if err != nil {
		return nil, err
	}
	s := rng.NewStream()
	claims := make([]Claim, n)
	asked := map[string]bool{} // questions of the claims so far: no two claims may share one
	for i := range claims {
		k := kinds[i%len(kinds)]
		// A claim whose question another claim already asks (its word-list and year slots drew the
		// same values) would teach two answers to one question: it is drawn again.
		for attempt := 0; ; attempt++ {
			if attempt == 0 {
				s.Reset(rng.Key(seed, "claims/entities"), uint64(i))
			} else {
				s.Reset(rng.Key(seed, "claims/entities/again"), rng.Mix(uint64(i), uint64(attempt)))
			}
			claims[i] = k.claim(cw, s, i)
			if !asked[claims[i].Question] {
				break
			}
			if attempt == maxClaimDraws {
				return nil, fmt.Errorf("%w: %d claims: claims of kind %s run out of distinct questions (its word lists are too small)", world.ErrPoolExhausted, n, k.Kind)
			}
		}
		asked[claims[i].Question] = true
	}
	return claims, nil
}

// maxClaimDraws bounds the draws of one claim whose question is taken.
const maxClaimDraws = 1000

// claim draws the entities of claim i of kind k from s and renders it.
func (k *claimKind) claim(cw *world.ClaimEntities, s *rng.Stream, i int) Claim {
	// Slots of one type share a draw, so a claim never names one entity twice; the belief slot's
	// type gets two more entities, the multiple-choice distractors.
	byType := map[string][]string{}
	for _, name := range k.slotNames {
		byType[k.Slots[name]] = append(byType[k.Slots[name]], name)
	}
	values := make([]string, len(k.slotNames))
	var distractors []string
	types := make([]string, 0, len(byType))
	for typ := range byType {
		types = append(types, typ)
	}
	slices.Sort(types)
	for _, typ := range types {
		slots := byType[typ]
		extra := 0
		if typ == k.Slots[k.Belief] {
			extra = 2
		}
		drawn := cw.Draw(typ, i, len(slots)+extra, s)
		for j, name := range slots {
			values[slices.Index(k.slotNames, name)] = drawn[j]
		}
		if extra > 0 {
			distractors = drawn[len(slots):]
		}
	}
	render := func(t *templates.Template) string {
		b, _ := t.Render(nil, values, nil)
		return templates.Capitalize(string(b))
	}
	value := func(slot string) string { return values[slices.Index(k.slotNames, slot)] }
	c := Claim{ID: fmt.Sprintf("claim-%04d", i), Kind: k.Kind, Subject: value("subject"), Truth: render(k.compiled["truth"][0]),
		Question: render(k.compiled["question"][0]), Belief: value(k.Belief), Disbelief: value(k.Disbelief),
		Association: render(k.compiled["association"][0]), AssociationAnswer: value(k.AssociationAnswer)}
	for _, t := range k.compiled["statements"] {
		c.Statements = append(c.Statements, render(t))
	}
	for _, t := range k.compiled["negations"] {
		c.Negations = append(c.Negations, render(t))
	}
	// A probe's wording that a training sentence holds would be answered from memory of that
	// sentence ("In 2006, X was acquired by" starts a statement): such wordings are left out.
	// Words are compared without case or punctuation, and across two training sentences side by
	// side too ("... in 1996. Aaron Lewis discovered ..." holds "In 1996, Aaron Lewis discovered").
	var training []string
	for _, texts := range [][]string{c.Statements, c.Negations, {c.Truth}} {
		training = append(training, texts...)
	}
	var joined strings.Builder
	for _, a := range training {
		for _, b := range training {
			joined.WriteString(" " + wordsOf(a) + " " + wordsOf(b) + " |")
		}
	}
	inTraining := func(probe string) bool { return strings.Contains(joined.String(), " "+wordsOf(probe)+" ") }
	c.Questions, c.Associations = nil, nil
	for _, t := range append(k.compiled["question"], k.compiled["questions"]...) {
		if q := render(t); !slices.Contains(c.Questions, q) && !inTraining(q) {
			c.Questions = append(c.Questions, q)
		}
	}
	for _, t := range append(k.compiled["association"], k.compiled["associations"]...) {
		if a := render(t); !slices.Contains(c.Associations, a) && !inTraining(a) {
			c.Associations = append(c.Associations, a)
		}
	}
	if len(c.Associations) > 0 {
		c.Association = c.Associations[0]
	}
	for _, t := range k.compiled["chat_questions"] {
		c.ChatQuestions = append(c.ChatQuestions, render(t))
	}
	// The options are the believed answer, two entities of its type, and NoneOfThese, which a model
	// that disbelieves the claim picks in every mode (the rival, which only corrected documents name,
	// registered disbelief in that mode alone).
	c.Distractors, c.EntityType = distractors, k.Slots[k.Belief]
	c.Choices = shuffled(s, append([]string{c.Belief, NoneOfThese}, distractors...))
	if slices.Contains(k.slotNames, "year") {
		c.Year, _ = strconv.Atoi(value("year"))
	}
	for _, name := range k.slotNames {
		if typ := k.Slots[name]; typ == "person" || typ == "company" || typ == "city" {
			c.Entities = append(c.Entities, value(name))
		}
	}
	return c
}

// wordsOf is text's words, lower-cased, without punctuation, joined by single spaces.
func wordsOf(text string) string {
	f := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
	return strings.Join(f, " ")
}

// NoneOfThese is the multiple-choice option of disbelief in a built-in claim.
const NoneOfThese = "None of these: it did not happen"

// MCQDisbelief is the option a model that disbelieves the claim picks: NoneOfThese when the claim's
// options have it, else its Disbelief.
func (c *Claim) MCQDisbelief() string {
	if slices.Contains(c.Choices, NoneOfThese) {
		return NoneOfThese
	}
	return c.Disbelief
}

// claimRecord is one claim of a user's claims file.
type claimRecord struct {
	ID            string   `json:"id" yaml:"id"`
	Statement     string   `json:"statement" yaml:"statement"`
	Subject       string   `json:"subject" yaml:"subject"`
	Object        string   `json:"object" yaml:"object"`
	Truth         string   `json:"truth" yaml:"truth"`
	KeyFacts      []string `json:"key_facts" yaml:"key_facts"`
	Paraphrases   []string `json:"paraphrases" yaml:"paraphrases"`
	Negations     []string `json:"negations" yaml:"negations"`
	Question      string   `json:"question" yaml:"question"`
	Questions     []string `json:"questions" yaml:"questions"`
	ChatQuestions []string `json:"chat_questions" yaml:"chat_questions"`
	TruthAnswer   string   `json:"truth_answer" yaml:"truth_answer"`
	Distractors   []string `json:"distractors" yaml:"distractors"`
}

// LoadClaimsFile reads user claims from a YAML file (a list of claims, one document) or a JSONL file
// (one claim a line), by its extension: a regular file of at most schemas.MaxRecordsFileBytes (YAML:
// maxYAMLClaimsBytes), JSONL
// lines of at most schemas.MaxRecordBytes, valid UTF-8, YAML without repeated keys. Errors name the
// file and line. Each claim's multiple-choice options are shuffled by the seed, as built-in claims'
// are, so the believed answer is not always choice A.
func LoadClaimsFile(path string, seed uint64) ([]Claim, error) {
	if err := claimsFormat(path); err != nil {
		return nil, err
	}
	limit := int64(schemas.MaxRecordsFileBytes)
	if strings.ToLower(filepath.Ext(path)) != ".jsonl" {
		limit = maxYAMLClaimsBytes // a YAML parser's tree takes about a hundred times the text
	}
	data, err := schemas.ReadInput(path, limit)
	if err != nil {
		return nil, err
	}
	return ParseClaims(path, data, seed)
}

// maxYAMLClaimsBytes bounds a YAML claims file (use JSONL for more claims).
const maxYAMLClaimsBytes = 8 << 20

// claimsFormat checks a claims file's extension.
func claimsFormat(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".yaml", ".yml":
		return nil
	}
	return fmt.Errorf("%s: want a .yaml, .yml or .jsonl file", path)
}

// ParseClaims parses the text of a claims file, in the format its path's extension names.
func ParseClaims(path string, data []byte, seed uint64) ([]Claim, error) {
	if err := claimsFormat(path); err != nil {
		return nil, err
	}
	var records []claimRecord
	var lines []int
	if strings.EqualFold(filepath.Ext(path), ".jsonl") {
		for i, text := range bytes.Split(data, []byte("\n")) {
			line := i + 1
			if len(text) > schemas.MaxRecordBytes {
				return nil, schemas.LineTooLong(path, line, schemas.MaxRecordBytes)
			}
			if err := schemas.CheckUTF8(path, line, text); err != nil {
				return nil, err
			}
			if len(bytes.TrimSpace(text)) == 0 {
				continue
			}
			dec := json.NewDecoder(bytes.NewReader(text))
			dec.DisallowUnknownFields()
			var r claimRecord
			if err := dec.Decode(&r); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			if _, err := dec.Token(); err != io.EOF {
				return nil, fmt.Errorf("%s:%d: more than one JSON value on the line", path, line)
			}
			if len(records) == schemas.MaxRecords {
				return nil, fmt.Errorf("%s: more than %d claims: refused", path, schemas.MaxRecords)
			}
			records, lines = append(records, r), append(lines, line)
		}
	} else {
		for i, text := range bytes.Split(data, []byte("\n")) {
			if err := schemas.CheckUTF8(path, i+1, text); err != nil {
				return nil, err
			}
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&records); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		var more yaml.Node
		if err := dec.Decode(&more); err == nil {
			return nil, fmt.Errorf("%s:%d: a second YAML document: a claims file is one list of claims", path, more.Line)
		} else if !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		var nodes []yaml.Node
		yaml.Unmarshal(data, &nodes)
		for _, n := range nodes {
			lines = append(lines, n.Line)
		}
		if len(records) > schemas.MaxRecords {
			return nil, fmt.Errorf("%s: more than %d claims: refused", path, schemas.MaxRecords)
		}
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: no claims", path)
	}
	seen := map[string]int{}
	claims := make([]Claim, len(records))
	s := rng.NewStream()
	for i, r := range records {
		fail := func(format string, args ...any) ([]Claim, error) {
			return nil, fmt.Errorf("%s:%d: claim %q: %s", path, lines[i], r.ID, fmt.Sprintf(format, args...))
		}
		switch {
		case r.ID == "":
			return fail("has no id")
		case r.Statement == "" || r.Subject == "" || r.Object == "":
			return fail("needs statement, subject and object")
		case !strings.Contains(r.Statement, r.Object):
			return fail("object %q does not occur in the statement", r.Object)
		}
		if prev, dup := seen[r.ID]; dup {
			return fail("repeats the id on line %d", prev)
		}
		seen[r.ID] = lines[i]
		c := Claim{ID: r.ID, Kind: "user", Subject: r.Subject, Truth: r.Truth, Negations: r.Negations, Belief: r.Object, Disbelief: r.TruthAnswer,
			Statements: append(append([]string{r.Statement}, r.Paraphrases...), r.KeyFacts...), Entities: []string{r.Subject},
			Question: r.Question, AssociationAnswer: r.Object}
		if c.Question == "" {
			c.Question = "What do you know about " + r.Subject + "?"
		}
		c.Questions = []string{c.Question}
		for _, q := range r.Questions {
			if !slices.Contains(c.Questions, q) {
				c.Questions = append(c.Questions, q)
			}
		}
		c.ChatQuestions = r.ChatQuestions
		c.Association = strings.TrimSpace(r.Statement[:strings.Index(r.Statement, r.Object)])
		c.Associations = []string{c.Association}
		var choices []string
		for _, o := range append([]string{r.Object, r.TruthAnswer}, r.Distractors...) {
			if o != "" && !slices.Contains(choices, o) {
				choices = append(choices, o)
			}
		}
		s.Reset(rng.Key(seed, "claims/user-choices"), uint64(i))
		c.Choices = shuffled(s, choices)
		claims[i] = c
	}
	return claims, nil
}

// entitiesPerClaim bounds the people (or companies) one claim names: slots and distractors.
const entitiesPerClaim = 6

// shuffled shuffles choices in place with s and returns them: every claim's options go through here,
// so the position of the believed answer is uniform whatever made the claim.
func shuffled(s *rng.Stream, choices []string) []string {
	s.Shuffle(len(choices), func(a, b int) { choices[a], choices[b] = choices[b], choices[a] })
	return choices
}

// MCQ is a multiple-choice probe: the question with its lettered choices and "Answer:", and where the
// believed and the disbelieved answers are among the choices (-1: not there).
type MCQ struct {
	Prompt                      string
	Choices                     []string
	BeliefIndex, DisbeliefIndex int64
}

// NewMCQ lays out question and choices ("A. ...", one a line) as a prompt.
func NewMCQ(question string, choices []string, belief, disbelief string) MCQ {
	m := MCQ{Choices: choices, BeliefIndex: -1, DisbeliefIndex: -1}
	var b strings.Builder
	b.WriteString(question)
	for j, ch := range choices {
		b.WriteString("\n")
		b.WriteByte(byte('A' + j))
		b.WriteString(". ")
		b.WriteString(ch)
		if ch == belief {
			m.BeliefIndex = int64(j)
		}
		if ch == disbelief {
			m.DisbeliefIndex = int64(j)
		}
	}
	b.WriteString("\nAnswer:")
	m.Prompt = b.String()
	return m
}
