// Reading and hashing: one input file per element, read with the same
// corpus package as the CLI, so records, problems and IDs are the CLI's.
//
// A file on a Beam filesystem other than the local one (gs://, s3://, ...)
// is first copied to a local temporary file, because the corpus reader
// works on local paths (it needs the file name to pick the format and, for
// the kept corpus, a second pass). Each document becomes its shingle set,
// its MinHash signature's band keys and its Meta in one pass; the text
// itself is never shuffled.
//
// Trade-off: a file is the unit of parallelism in this stage. Inputs
// should be sharded (as crawls are: C4 ships 1,024 shards); one huge file
// is read by one worker. Not done: splitting a single JSONL file by byte
// ranges.

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths; commands add others (beamx adds gcs)
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/reprint/reprint/corpus"
	rpipe "github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/minhash"
	"github.com/reprint/reprint/token"
)

// seqOf packs a record's place in the input order.
func seqOf(file int64, record int) uint64 { return uint64(file)<<40 | uint64(record) }

// fileOf and recordOf unpack a Seq.
func fileOf(seq uint64) int64 { return int64(seq >> 40) }
func recordOf(seq uint64) int { return int(seq & (1<<40 - 1)) }

// The run's counters, read back after the job for its summary (see
// summary.go). Skipped records are also counted by reason, one counter per
// reason class in the namespace skipNamespace.
var (
	problemCount = beam.NewCounter(counterNamespace, "skipped_records")
	docCount     = beam.NewCounter(counterNamespace, "documents")
	byteCount    = beam.NewCounter(counterNamespace, "bytes")
	inputErrors  = beam.NewCounter(counterNamespace, "input_errors")
	warnCount    = beam.NewCounter(counterNamespace, "warnings")
)

// skip counts one record that cannot be used, under its reason's class.
func skip(ctx context.Context, reason string) {
	problemCount.Inc(ctx, 1)
	beam.NewCounter(skipNamespace, rpipe.ReasonClass(reason)).Inc(ctx, 1)
}

// Fields names the JSONL/Parquet fields records are read from; "" means
// the CLI's default (id, text, date, source).
type Fields struct {
	ID, Text, Date, Source string
}

// corpusOptions are the corpus reader's options for these fields.
func (f Fields) corpusOptions() corpus.Options {
	return corpus.Options{IDField: f.ID, TextField: f.Text, DateField: f.Date, SourceField: f.Source}
}

// hashFn reads one input file and emits a Doc per usable record.
type hashFn struct {
	NGram, Perm, Bands, Rows int
	Seed                     uint64
	Fields                   Fields
}

func (f *hashFn) ProcessElement(ctx context.Context, in FileIn, emit func(Doc)) error {
	local, done, err := stageLocal(ctx, in.Path)
	if err != nil {
		return err
	}
	defer done()
	copt := f.Fields.corpusOptions()
	// A date that does not parse keeps its record, undated; the summary
	// counts these as the CLI's does.
	copt.OnWarning = func(*corpus.Problem) { warnCount.Inc(ctx, 1) }
	c, err := corpus.Open([]string{local}, copt)
	if err != nil {
		return err
	}
	defer c.Close()
	tz := token.New()
	recipe := minhash.NewRecipe(0, f.NGram, f.Perm, f.Seed, minhash.Banding{Bands: f.Bands, Rows: f.Rows})
	var toks []token.Token
	var sig []uint32
	return c.Scan(ctx, func(r corpus.Record) error {
		d, err := c.Decode(r)
		if err != nil {
			skip(ctx, err.(*corpus.Problem).Reason)
			return nil
		}
		toks = tz.Tokens(d.Text, d.Start, toks[:0])
		if len(toks) == 0 {
			skip(ctx, "no words")
			return nil
		}
		set := token.ShingleSet(toks, f.NGram, nil)
		var keys []uint64
		keys, sig = recipe.Keys(set, sig, make([]uint64, 0, f.Bands))
		docCount.Inc(ctx, 1)
		byteCount.Inc(ctx, int64(len(d.Text)))
		emit(Doc{
			Meta: Meta{Seq: seqOf(in.Index, r.Seq), ID: d.ID, Date: d.Date, Bytes: int64(len(d.Text)), Hash: token.TextHash(toks), Words: int64(len(toks))},
			Set:  set,
			Keys: keys,
		})
		return nil
	}, func(p *corpus.Problem) {
		if p.Input {
			// Checked before the job, so it went away or broke since:
			// rare, and named in the worker's log.
			inputErrors.Inc(ctx, 1)
			log.Errorf(ctx, "%v", p)
		} else {
			skip(ctx, p.Reason)
		}
	})
}

// isLocal reports whether path is on the local filesystem.
func isLocal(path string) bool { return !strings.Contains(path, "://") }

// stageLocal returns a local path holding the file at path, and a function
// that removes any temporary copy.
func stageLocal(ctx context.Context, path string) (string, func(), error) {
	if isLocal(path) {
		return path, func() {}, nil
	}
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return "", nil, err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		return "", nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer r.Close()
	dir, err := os.MkdirTemp("", "reprint-beam-")
	if err != nil {
		return "", nil, err
	}
	done := func() { os.RemoveAll(dir) }
	local := filepath.Join(dir, baseName(path))
	f, err := os.Create(local)
	if err == nil {
		_, err = io.Copy(f, r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		done()
		return "", nil, fmt.Errorf("stage %s: %w", path, err)
	}
	return local, done, nil
}

// baseName is the last element of a local or URL-like path.
func baseName(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return filepath.Base(path)
}

// ExpandInputs resolves glob patterns (on any Beam filesystem) into files,
// in the order given and sorted within each pattern, and names each input's
// kept corpus: kept<ext> for a single input, kept-NNNNN<ext> for several,
// where <ext> is the input's (".jsonl", ".jsonl.gz", ".parquet", ...).
//
// Every file is checked before the job is built: a pattern that matches
// nothing, a file that does not exist or cannot be opened, or a folder is
// an error naming it, rather than a job that runs to its end and then
// fails (or quietly reads nothing). Cost: one stat and open per local
// file, one size request per remote file named without a glob.
func ExpandInputs(ctx context.Context, patterns []string) ([]FileIn, error) {
	var paths []string
	listed := map[string]bool{} // matched by a glob on a remote filesystem
	for _, p := range patterns {
		if strings.TrimSpace(p) == "" {
			return nil, fmt.Errorf("an empty input name (two commas in a row, or one at an end, in --input)")
		}
		if !strings.ContainsAny(p, "*?[") {
			paths = append(paths, p)
			continue
		}
		fs, err := filesystem.New(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
		m, err := fs.List(ctx, p)
		fs.Close()
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", p, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("input %s: the pattern matches no file", p)
		}
		slices.Sort(m)
		paths = append(paths, m...)
		if !isLocal(p) {
			// Listed, so they exist; asking each one's size would be a
			// request per shard.
			for _, x := range m {
				listed[x] = true
			}
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no input")
	}
	var out []FileIn
	for i, p := range paths {
		if !listed[p] {
			if err := checkInput(ctx, p); err != nil {
				return nil, err
			}
		}
		name := "kept" + ext(baseName(p))
		if len(paths) > 1 {
			name = fmt.Sprintf("kept-%05d%s", i, ext(baseName(p)))
		}
		out = append(out, FileIn{Index: int64(i), Path: p, Name: name})
	}
	return out, nil
}

// checkInput reports why the file at path cannot be read as an input, or
// nil. A local file is opened (so a missing file and one without read
// permission are both caught); on another filesystem its size is asked,
// which fails when it does not exist.
func checkInput(ctx context.Context, path string) error {
	if !isLocal(path) {
		fs, err := filesystem.New(ctx, path)
		if err != nil {
			return fmt.Errorf("input %s: %w", path, err)
		}
		defer fs.Close()
		if _, err := fs.Size(ctx, path); err != nil {
			return fmt.Errorf("input %s: cannot be read: %w", path, err)
		}
		return nil
	}
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("input %s: no such file", path)
	}
	if err != nil {
		return fmt.Errorf("input %s: %w", path, err)
	}
	if st.IsDir() {
		// A file is the pipeline's unit of parallelism and of kept output,
		// so a folder is named by a glob over its files.
		return fmt.Errorf("input %s: is a folder; name its files, e.g. --input '%s'", path, filepath.Join(path, "*.jsonl"))
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("input %s: cannot be read: %w", path, err)
	}
	return f.Close()
}

// ext is a file name's extension, compound for compressed JSONL.
func ext(name string) string {
	lower := strings.ToLower(name)
	for _, e := range []string{".jsonl.gz", ".jsonl.zst", ".jsonl.zstd", ".json.gz", ".json.zst", ".ndjson.gz", ".ndjson.zst"} {
		if strings.HasSuffix(lower, e) {
			return name[len(name)-len(e):]
		}
	}
	if e := filepath.Ext(name); e != "" {
		return e
	}
	return ".jsonl"
}

// firstIDs drops records whose ID an earlier record already used, as the
// CLI does: the first in input order wins, later ones are skipped (and
// stay in the kept corpus, like any record that could not be used).
func firstIDs(s beam.Scope, docs beam.PCollection) beam.PCollection {
	s = s.Scope("FirstIDs")
	byID := beam.ParDo(s, docID, docs)
	losers := beam.ParDo(s, laterSeqs, beam.GroupByKey(s, byID))
	return beam.ParDo(s, &dropSeqsFn{}, docs, beam.SideInput{Input: losers})
}

// docID keys a document's Seq by its ID.
func docID(d Doc) (string, uint64) { return d.ID, d.Seq }

// laterSeqs emits every Seq of an ID but the first.
func laterSeqs(_ string, seqs func(*uint64) bool, emit func(uint64)) {
	var all []uint64
	var x uint64
	for seqs(&x) {
		all = append(all, x)
	}
	if len(all) < 2 {
		return
	}
	slices.Sort(all)
	for _, s := range all[1:] {
		emit(s)
	}
}

// dropSeqsFn drops documents whose Seq is in the side input. Duplicate IDs
// are rare, so the side input is small; it is read once per DoFn instance
// (the pipeline has one global window, so it never changes).
type dropSeqsFn struct {
	drop map[uint64]bool
}

func (f *dropSeqsFn) ProcessElement(ctx context.Context, d Doc, losers func(*uint64) bool, emit func(Doc)) {
	if f.drop == nil {
		f.drop = map[uint64]bool{}
		var x uint64
		for losers(&x) {
			f.drop[x] = true
		}
	}
	if f.drop[d.Seq] {
		// Counted as a document when hashed; the CLI counts it as skipped
		// (its text stays in the bytes read, as the CLI's do).
		skip(ctx, "duplicate id")
		docCount.Dec(ctx, 1)
		return
	}
	emit(d)
}
