package main

import (
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// progress draws a progress bar on stderr for runs that last more than a second, when stderr is a
// terminal and --quiet is not given; otherwise it does nothing.
type progress struct {
	on    bool
	start time.Time
	bar   *progressbar.ProgressBar
}

func newProgress(c *cli.Context) *progress {
	on := !c.Bool("quiet") && c.App.ErrWriter == os.Stderr && term.IsTerminal(int(os.Stderr.Fd()))
	return &progress{on: on, start: time.Now()}
}

func (p *progress) update(done, total int64) {
	if !p.on {
		return
	}
	if p.bar == nil {
		if time.Since(p.start) < time.Second {
			return
		}
		p.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription("rows"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	p.bar.Set64(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
