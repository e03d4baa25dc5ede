package records

import "github.com/factforge/factforge/templates"

// Document is a rendered text with the byte spans of its slots. Spans made by Worker.Render are valid
// until that worker renders again.
type Document struct {
	Text  string
	Spans []templates.Span
}

// SplitPoint is where the completion starts: at the second slot, moved back over the spaces before it
// so that the completion, as in the paper's data, begins with the space ("... for being" + " the
// composer of ..."). A document with fewer than two slots (such as a transformed one whose entities
// were broken up) is cut at the space nearest its middle, so that neither part is empty: chat and
// prompt-completion formats refuse an empty prompt or user turn.
func (d Document) SplitPoint() int {
	if len(d.Spans) >= 2 {
		if at := d.cut(d.Spans[1]); at > 0 {
			return at
		}
	}
	best := 0
	for i := 1; i < len(d.Text)-1; i++ {
		if d.Text[i] == ' ' && d.Text[i-1] != ' ' && (best == 0 || abs(i-len(d.Text)/2) < abs(best-len(d.Text)/2)) {
			best = i
		}
	}
	return best
}

func abs(n int) int { return max(n, -n) }

// cut is where a span begins, moved back over the spaces before it.
func (d Document) cut(sp templates.Span) int {
	at := sp.Start
	for at > 0 && d.Text[at-1] == ' ' {
		at--
	}
	return at
}

// Prompt is the text before the split point.
func (d Document) Prompt() string { return d.Text[:d.SplitPoint()] }

// Completion is the text from the split point on.
func (d Document) Completion() string { return d.Text[d.SplitPoint():] }

// CutAtSlot cuts a probe from a document at the span of slot: the prompt is the text before it
// (without the spaces that end it), the answer the slot's text. The slot is the template's slot
// index, not the span's ordinal; ok is false when the document does not fill it.
func (d Document) CutAtSlot(slot int) (prompt, answer string, ok bool) {
	for _, sp := range d.Spans {
		if sp.Slot == slot {
			return d.Text[:d.cut(sp)], d.Text[sp.Start:sp.End], true
		}
	}
	return "", "", false
}
