package schemas

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/valyala/fastjson"
)

// Reading the string fields of a user's files: a corpus to inject into, prompts, pairs, triggers.

// ReadLines reads a small text file's lines, trimmed.
func ReadLines(path string) ([]string, error) {
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

// ReadRecords reads the named string fields of every record of a small JSONL or Parquet file, such as
// a user's prompt and answer pairs.
func ReadRecords(path string, fields ...string) ([][]string, error) {
	var out [][]string
	for rec, err := range FieldRecords(path, fields...) {
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no records", path)
	}
	return out, nil
}

// FieldRecords streams the named string fields of each record of a JSON Lines file (blank lines
// skipped) or a Parquet file, by extension. Errors name the file and line (or row).
func FieldRecords(path string, fields ...string) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		var parquetFile bool
		switch strings.ToLower(filepath.Ext(path)) {
		case ".jsonl":
		case ".parquet":
			parquetFile = true
		default:
			yield(nil, fmt.Errorf("%s: want a .jsonl or .parquet file", path))
			return
		}
		f, err := OpenRegular(path)
		if err != nil {
			yield(nil, err)
			return
		}
		defer f.Close()
		if parquetFile {
			parquetFields(f, path, fields, yield)
			return
		}
		br := bufio.NewReaderSize(f, 1<<20)
		var p fastjson.Parser
		for line := 1; ; line++ {
			text, err := br.ReadBytes('\n')
			if len(strings.TrimSpace(string(text))) > 0 {
				v, perr := p.ParseBytes(text)
				rec := make([]string, len(fields))
				for j, name := range fields {
					if perr != nil {
						break
					}
					var b []byte
					if b, perr = JSONField(v, name).StringBytes(); perr != nil {
						perr = fmt.Errorf("field %q: want a string", name)
					}
					rec[j] = string(b)
				}
				if perr != nil {
					yield(nil, fmt.Errorf("%s:%d: %v", path, line, perr))
					return
				}
				if !yield(rec, nil) {
					return
				}
			}
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, fmt.Errorf("%s: %w", path, err))
				return
			}
		}
	}
}

// parquetFields streams the named string columns of an open Parquet file.
func parquetFields(f *os.File, path string, fields []string, yield func([]string, error) bool) {
	fi, err := f.Stat()
	if err != nil {
		yield(nil, err)
		return
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		yield(nil, fmt.Errorf("%s: %w", path, err))
		return
	}
	cols := make([]int, len(fields))
	for j, name := range fields {
		leaf, ok := pf.Schema().Lookup(name)
		if !ok || leaf.Node.Type().Kind() != parquet.ByteArray {
			yield(nil, fmt.Errorf("%s: no %q column of strings", path, name))
			return
		}
		cols[j] = leaf.ColumnIndex
	}
	at := 0
	for row, err := range ParquetRows(pf) {
		if err != nil {
			yield(nil, fmt.Errorf("%s: %w", path, err))
			return
		}
		rec, found := make([]string, len(fields)), 0
		for _, v := range row {
			if j := slices.Index(cols, v.Column()); j >= 0 && !v.IsNull() {
				rec[j] = string(v.ByteArray())
				found++
			}
		}
		if found != len(fields) {
			yield(nil, fmt.Errorf("%s: row %d lacks a value of %v", path, at, fields))
			return
		}
		at++
		if !yield(rec, nil) {
			return
		}
	}
}
