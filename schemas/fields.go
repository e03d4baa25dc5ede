package schemas

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/valyala/fastjson"
)

// Reading the string fields of a user's files: a corpus to inject into, prompts, pairs, triggers.

// ReadLines reads a small text file's lines, trimmed: a regular file of at most MaxTextFileBytes,
// lines of at most MaxTextLineBytes, valid UTF-8. Errors name the file and line.
func ReadLines(path string) ([]string, error) {
	data, err := ReadInput(path, MaxTextFileBytes)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i, l := range lines {
		if len(l) > MaxTextLineBytes {
			return nil, LineTooLong(path, i+1, MaxTextLineBytes)
		}
		if err := CheckUTF8(path, i+1, []byte(l)); err != nil {
			return nil, err
		}
		lines[i] = strings.TrimSpace(l)
	}
	return lines, nil
}

// MaxRecords bounds the records of a file ReadRecords reads whole.
const MaxRecords = 2_000_000

// ReadRecords reads the named string fields of every record of a small JSONL or Parquet file, such as
// a user's prompt and answer pairs: at most MaxRecordsFileBytes and MaxRecords records.
func ReadRecords(path string, fields ...string) ([][]string, error) {
	var out [][]string
	for rec, err := range fieldRecords(path, MaxRecordsFileBytes, fields) {
		if err != nil {
			return nil, err
		}
		if len(out) == MaxRecords {
			return nil, fmt.Errorf("%s: more than %d records: refused", path, MaxRecords)
		}
		out = append(out, rec)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no records", path)
	}
	return out, nil
}

// FieldRecords streams the named string fields of each record of a JSON Lines file (blank lines
// skipped) or a Parquet file, by extension: a regular file of any size, each line or value at most
// MaxRecordBytes, each field valid UTF-8. Errors name the file and line (or row).
func FieldRecords(path string, fields ...string) iter.Seq2[[]string, error] {
	return fieldRecords(path, 0, fields)
}

// fieldRecords is FieldRecords for a file of at most limit bytes (0: any size).
func fieldRecords(path string, limit int64, fields []string) iter.Seq2[[]string, error] {
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
		fi, err := f.Stat()
		if err != nil {
			yield(nil, err)
			return
		}
		if limit > 0 && fi.Size() > limit {
			yield(nil, tooLarge(path, limit))
			return
		}
		if parquetFile {
			parquetFields(f, fi.Size(), path, fields, yield)
			return
		}
		br := bufio.NewReaderSize(f, 1<<20)
		var p fastjson.Parser
		var text []byte
		for line := 1; ; line++ {
			text, err = readLine(br, text[:0], MaxRecordBytes)
			if err == errLineTooLong {
				yield(nil, LineTooLong(path, line, MaxRecordBytes))
				return
			}
			if len(bytes.TrimSpace(text)) > 0 {
				if uerr := CheckUTF8(path, line, text); uerr != nil {
					yield(nil, uerr)
					return
				}
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
					yield(nil, fmt.Errorf("%s:%d: %w", path, line, perr))
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

var errLineTooLong = errors.New("line too long")

// readLine appends the next line of br (with its newline, if any) to buf, refusing one over limit
// bytes before it is read whole. At the end of the file it returns what is left and io.EOF.
func readLine(br *bufio.Reader, buf []byte, limit int) ([]byte, error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > limit+1 || len(buf)+len(chunk) == limit+1 && chunk[len(chunk)-1] != '\n' {
			return buf, errLineTooLong
		}
		buf = append(buf, chunk...)
		if err != bufio.ErrBufferFull {
			return buf, err
		}
	}
}

// parquetFields streams the named string columns of an open Parquet file.
func parquetFields(f io.ReaderAt, size int64, path string, fields []string, yield func([]string, error) bool) {
	pf, err := OpenParquetInput(f, size)
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
				b := v.ByteArray()
				if len(b) > MaxRecordBytes {
					yield(nil, fmt.Errorf("%s: row %d: field %q is longer than %s: refused", path, at, fields[j], Bytes(MaxRecordBytes)))
					return
				}
				if !utf8.Valid(b) {
					yield(nil, fmt.Errorf("%s: row %d: field %q: %w", path, at, fields[j], ErrInvalidUTF8))
					return
				}
				rec[j] = string(b)
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
