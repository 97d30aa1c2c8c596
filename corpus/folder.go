// A folder is read file by file, recursively, in byte-wise order of the
// relative path. Each file is read by its name as if it had been given on
// the command line (read.go, kindOfName): part-1.jsonl and part-2.jsonl.gz
// are JSONL, a .parquet is Parquet, a .warc.gz is a crawl, a .html page is
// one HTML document; every other file is one text document. A text or HTML
// document's ID is its relative path (with forward slashes on every OS);
// records of JSONL, Parquet and WARC files have their own IDs. Entries of a directory are sorted with "/"
// appended to subdirectory names; that makes a depth-first walk produce
// exactly the byte-wise order of full paths ("a.txt" before "a/b.txt", since
// '.' < '/'), without collecting all paths first.
//
// Symbolic links are followed, to files and to directories; a directory that
// is already one of the walk's ancestors is skipped, so a link loop ends. A
// link to a sibling directory is walked again under its own name: its
// documents get two IDs, which is what the folder says.
//
// A file's bytes are read whole in Scan (a document is the unit of work);
// Decode checks them: a NUL byte or invalid UTF-8 means binary, a file of
// only whitespace (after any date header) is empty. Text keeps the file's
// bytes unchanged, date header included, so offsets are file offsets.
//
// Deliberately not done: no filtering of hidden files (a folder given is a
// corpus; filter it before), no charset detection for text files (text is
// UTF-8; HTML declares its charset), no irregular files (devices, sockets,
// FIFOs are skipped).

package corpus

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

func (w *walker) folder(root string) error {
	info, err := os.Stat(root)
	if err != nil {
		w.problem(inputProblem(root, err))
		return nil
	}
	return w.dir(root, "", []fs.FileInfo{info})
}

// dirEntry is a directory entry to visit.
type dirEntry struct {
	name string
	key  string      // name, with "/" appended for a directory
	info fs.FileInfo // for directories, to detect loops
	dir  bool
}

// dir walks the directory path, whose ID prefix is rel ("" or ending in "/")
// and whose ancestors (itself included) are in up.
func (w *walker) dir(path, rel string, up []fs.FileInfo) error {
	des, err := os.ReadDir(path)
	if err != nil {
		// ReadDir returns what it read before the error; walk that too.
		w.problem(inputProblem(path, err))
	}
	ents := make([]dirEntry, 0, len(des))
	for _, de := range des {
		p := filepath.Join(path, de.Name())
		e := dirEntry{name: de.Name(), key: de.Name()}
		mode := de.Type()
		switch {
		case mode&fs.ModeSymlink != 0:
			info, err := os.Stat(p)
			if err != nil {
				w.problem(inputProblem(p, err))
				continue
			}
			if !info.IsDir() && !info.Mode().IsRegular() {
				continue
			}
			e.info, e.dir = info, info.IsDir()
		case mode.IsDir():
			info, err := de.Info()
			if err != nil {
				w.problem(inputProblem(p, err))
				continue
			}
			e.info, e.dir = info, true
		case mode.IsRegular():
		default:
			continue
		}
		if e.dir {
			e.key += "/"
		}
		ents = append(ents, e)
	}
	slices.SortFunc(ents, func(a, b dirEntry) int { return strings.Compare(a.key, b.key) })
	for _, e := range ents {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(path, e.name)
		if !e.dir {
			if err := w.visit(p, rel+e.name); err != nil {
				return err
			}
			continue
		}
		if slices.ContainsFunc(up, func(a fs.FileInfo) bool { return os.SameFile(a, e.info) }) {
			continue // a link back to an ancestor
		}
		if err := w.dir(p, rel+e.key, append(up[:len(up):len(up)], e.info)); err != nil {
			return err
		}
	}
	return nil
}

// textFile reads the file path as one document of kind k (text or HTML)
// with the given ID.
func (w *walker) textFile(path, id string, k kind) error {
	f, err := os.Open(path)
	if err != nil {
		w.problem(inputProblem(path, err))
		return nil
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	if size > w.c.max {
		w.problem(recordProblem(path, 0, "file is %d bytes, more than the limit of %d", size, w.c.max))
		return nil
	}
	// Read into a buffer of the size Stat gave, plus one byte to see the end
	// (or that the file grew); grow only if it did.
	data := make([]byte, 0, size+1)
	for {
		if len(data) == cap(data) {
			data = slices.Grow(data, len(data)/2+4096)
		}
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > w.c.max {
			w.problem(recordProblem(path, 0, "file is more than the limit of %d bytes", w.c.max))
			return nil
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			w.problem(inputProblem(path, err))
			return nil
		}
	}
	return w.record(Record{File: path, kind: k, id: id, raw: data})
}

// decodeText checks a text file's bytes and reads its date header.
func decodeText(r Record) (Doc, *Problem) {
	if bytes.IndexByte(r.raw, 0) >= 0 || !utf8.Valid(r.raw) {
		return Doc{}, recordProblem(r.File, 0, "binary file (not UTF-8 text)")
	}
	text := string(r.raw)
	date, start := dateHeader(text)
	if strings.TrimSpace(text[start:]) == "" {
		return Doc{}, recordProblem(r.File, 0, "empty document")
	}
	return Doc{ID: r.id, Text: text, Start: start, Date: date}, nil
}
