package generators

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/factforge/factforge/schemas"
	"github.com/parquet-go/parquet-go"
	"github.com/valyala/fastjson"
)

// corpus is a user's base corpus: the "text" field of a JSON Lines file or the "text" column of a
// Parquet file. It is streamed, never loaded whole: once to count and check its rows, once to pass
// them through.
type corpus struct {
	path    string
	parquet bool
	rows    int64
}

// openCorpus checks the file and counts its rows.
func openCorpus(path string) (*corpus, error) {
	c := &corpus{path: path}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl":
	case ".parquet":
		c.parquet = true
	default:
		return nil, fmt.Errorf("--base %s: want a .jsonl or .parquet file", path)
	}
	for _, err := range c.texts() {
		if err != nil {
			return nil, err
		}
		c.rows++
	}
	if c.rows == 0 {
		return nil, fmt.Errorf("--base %s: no rows", path)
	}
	return c, nil
}

// texts yields the corpus's texts in order.
func (c *corpus) texts() iter.Seq2[string, error] {
	if c.parquet {
		return c.parquetTexts()
	}
	return func(yield func(string, error) bool) {
		f, err := os.Open(c.path)
		if err != nil {
			yield("", fmt.Errorf("--base: %w", err))
			return
		}
		defer f.Close()
		br := bufio.NewReaderSize(f, 1<<20)
		var p fastjson.Parser
		for line := 1; ; line++ {
			text, err := br.ReadBytes('\n')
			if len(strings.TrimSpace(string(text))) > 0 {
				v, perr := p.ParseBytes(text)
				var s []byte
				if perr == nil {
					if s, perr = schemas.JSONField(v, "text").StringBytes(); perr != nil {
						perr = fmt.Errorf(`"text": %w`, perr)
					}
				}
				if perr != nil {
					yield("", fmt.Errorf("%s:%d: %v", c.path, line, perr))
					return
				}
				if !yield(string(s), nil) {
					return
				}
			}
			if err == io.EOF {
				return
			}
			if err != nil {
				yield("", fmt.Errorf("%s: %w", c.path, err))
				return
			}
		}
	}
}

func (c *corpus) parquetTexts() iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		f, err := os.Open(c.path)
		if err != nil {
			yield("", fmt.Errorf("--base: %w", err))
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			yield("", err)
			return
		}
		pf, err := parquet.OpenFile(f, fi.Size())
		if err != nil {
			yield("", fmt.Errorf("%s: %w", c.path, err))
			return
		}
		leaf, ok := pf.Schema().Lookup("text")
		if !ok || leaf.Node.Type().Kind() != parquet.ByteArray {
			yield("", fmt.Errorf(`%s: no "text" column of strings`, c.path))
			return
		}
		r := parquet.NewReader(pf)
		defer r.Close()
		rows := make([]parquet.Row, 256)
		var at int64
		for {
			n, err := r.ReadRows(rows)
			for _, row := range rows[:n] {
				text, found := "", false
				for _, v := range row {
					if v.Column() == leaf.ColumnIndex && !v.IsNull() {
						text, found = string(v.ByteArray()), true
					}
				}
				if !found {
					yield("", fmt.Errorf("%s: row %d has no text", c.path, at))
					return
				}
				at++
				if !yield(text, nil) {
					return
				}
			}
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield("", fmt.Errorf("%s: %w", c.path, err))
				return
			}
		}
	}
}

// readLines reads a small text file's lines, trimmed.
func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines, nil
}

// readRecords reads the named string fields of every record of a small JSONL or Parquet file, such as
// a user's prompt and answer pairs. Errors name the file and line (or row).
func readRecords(path string, fields ...string) ([][]string, error) {
	var out [][]string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl":
		lines, err := readLines(path)
		if err != nil {
			return nil, err
		}
		var p fastjson.Parser
		for i, line := range lines {
			if line == "" {
				continue
			}
			v, err := p.Parse(line)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
			}
			rec := make([]string, len(fields))
			for j, f := range fields {
				b, err := schemas.JSONField(v, f).StringBytes()
				if err != nil {
					return nil, fmt.Errorf("%s:%d: field %q: want a string", path, i+1, f)
				}
				rec[j] = string(b)
			}
			out = append(out, rec)
		}
	case ".parquet":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		fi, _ := f.Stat()
		pf, err := parquet.OpenFile(f, fi.Size())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		cols := make([]int, len(fields))
		for j, name := range fields {
			leaf, ok := pf.Schema().Lookup(name)
			if !ok || leaf.Node.Type().Kind() != parquet.ByteArray {
				return nil, fmt.Errorf("%s: no %q column of strings", path, name)
			}
			cols[j] = leaf.ColumnIndex
		}
		r := parquet.NewReader(pf)
		defer r.Close()
		rows := make([]parquet.Row, 128)
		for {
			n, err := r.ReadRows(rows)
			for _, row := range rows[:n] {
				rec := make([]string, len(fields))
				for _, v := range row {
					if j := slices.Index(cols, v.Column()); j >= 0 && !v.IsNull() {
						rec[j] = string(v.ByteArray())
					}
				}
				out = append(out, rec)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		}
	default:
		return nil, fmt.Errorf("%s: want a .jsonl or .parquet file", path)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no records", path)
	}
	return out, nil
}
