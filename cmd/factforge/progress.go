package main

import (
	"os"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// progress draws a progress bar on stderr for runs that last more than a second, when stderr is a
// terminal and --quiet is not given; otherwise it does nothing. The bar is laid out for the
// terminal's width (progressLayout), so that it never wraps, and counts rows with thousands
// separators.
type progress struct {
	on    bool
	start time.Time
	bar   *progressbar.ProgressBar
	cols  int
}

func newProgress(c *cli.Context) *progress {
	on := !c.Bool("quiet") && c.App.ErrWriter == os.Stderr && term.IsTerminal(int(os.Stderr.Fd()))
	cols := 80
	if w, _, err := term.GetSize(int(os.Stderr.Fd())); err == nil && w > 0 {
		cols = w
	}
	return &progress{on: on, start: time.Now(), cols: cols}
}

func (p *progress) update(done, total int64) {
	if !p.on {
		return
	}
	desc, width, withTime := progressLayout(p.cols, done, total)
	if p.bar == nil {
		if time.Since(p.start) < time.Second {
			return
		}
		p.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription(desc),
			progressbar.OptionSetWidth(width), progressbar.OptionSetPredictTime(withTime), progressbar.OptionSetElapsedTime(withTime),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	p.bar.Describe(desc)
	p.bar.Set64(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// Widths of what the bar library draws beside the description and the bar: " 100% |" and "| ", and
// the elapsed and predicted times ("[12m30s:1h2m3s]").
const (
	barFrame = 9
	barTimes = 17
)

// progressLayout lays out a progress line of cols columns: the description (rows done of total, with
// thousands separators), the bar's width, and whether the times are shown (from 50 columns, when they
// fit). The line is at most cols-1 wide, so that the terminal never wraps it.
func progressLayout(cols int, done, total int64) (desc string, width int, withTime bool) {
	// What gives way first, as room runs out: the times, then the total, then the count's end.
	for _, try := range []struct {
		desc string
		time bool
	}{
		{thousands(done) + "/" + thousands(total) + " rows", cols >= 50},
		{thousands(done) + "/" + thousands(total) + " rows", false},
		{thousands(done) + " rows", false},
	} {
		desc, withTime = try.desc, try.time
		width = cols - 1 - len(desc) - barFrame
		if withTime {
			width -= barTimes
		}
		if width >= 1 {
			return desc, width, withTime
		}
	}
	width = 1
	return desc[:max(min(len(desc), cols-1-barFrame-width), 0)], width, false
}

// thousands writes n with commas between groups of three digits: 1234567 is 1,234,567.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}
