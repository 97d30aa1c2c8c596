// reprint index add|query|delete|stats: the persistent index (package
// index) from the command line.
//
// add reads its inputs through package corpus like every other command
// (same formats, same field flags, --meta) and hands documents to the
// index in batches of --batch documents; each batch is one synced commit,
// so what add reported as added survives a crash, and an interrupted add
// leaves the batches before the interruption. query reads one text (a
// file's bytes, or standard input with -) and prints its near-duplicates
// and passages, or with --json the exact result the HTTP API returns.
//
// Not done: a progress bar for add (the summary reports the rate), and
// reading JSONL queries in bulk (use the HTTP API for many queries).

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/index"
	"github.com/spf13/cobra"
)

const indexLong = `A persistent index of documents that grows, shrinks and survives restarts:
add documents, ask whether a new text copies any of them (near-duplicates
with Jaccard and containment, reused passages with byte spans, the matched
documents' dates and sources and each passage's earliest known source),
delete documents, and see statistics. "reprint serve" puts the same index
behind an HTTP API and a web page.

The index is a directory (an embedded Pebble store). It is created by the
first add. Every add and delete is committed to disk before the command
reports it, so a crash loses nothing that was reported.`

func newIndexCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "index",
		Short: "Add documents to a persistent index, query it, delete from it",
		Long:  indexLong,
		Example: `  reprint index add --index news.idx --meta testdata/news-meta.jsonl testdata/news
  reprint index query --index news.idx testdata/news/001_e55fcabe4c6a2c3c.txt
  reprint index delete --index news.idx 001_e55fcabe4c6a2c3c.txt
  reprint index stats --index news.idx`,
	}
	c.AddCommand(newIndexAddCmd(), newIndexQueryCmd(), newIndexDeleteCmd(), newIndexStatsCmd())
	return c
}

func indexFlag(c *cobra.Command, dir *string) {
	c.Flags().StringVar(dir, "index", "", "the index directory (required)")
}

func openIndex(dir string, opt index.Options) (*index.Index, error) {
	if dir == "" {
		return nil, usageErr("--index DIR is required")
	}
	ix, err := index.Open(dir, opt)
	if err != nil {
		if errors.Is(err, index.ErrNoIndex) {
			return nil, &exitError{code: exitInput, err: err}
		}
		return nil, err
	}
	return ix, nil
}

const indexAddLong = `Add the documents of INPUT... to the index in DIR, creating it if needed.
INPUT is anything "reprint pairs" reads. A document whose ID is already in
the index replaces it. --threshold, --ngram and --no-text only apply when
the index is created; the index remembers them.

A summary goes to stderr: documents added, replaced and rejected (with the
reason for each rejected one), and the rate.`

func newIndexAddCmd() *cobra.Command {
	var dir, meta string
	var fields [5]string
	var noText, strict, quiet, jsonSummary bool
	var threshold float64
	var ngram, batch int
	c := &cobra.Command{
		Use:   "add --index DIR [flags] INPUT...",
		Short: "Add documents to the index (re-adding an ID replaces it)",
		Long:  indexAddLong,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("no INPUT given; name a folder, a .jsonl/.parquet file, or - for stdin")
			}
			if batch < 1 || batch > 100000 {
				return usageErr("--batch %d: must be between 1 and 100000", batch)
			}
			if threshold <= 0 || threshold > 1 {
				return usageErr("--threshold %v: must be in (0, 1]", threshold)
			}
			if ngram < 1 || ngram > 64 {
				return usageErr("--ngram %d: must be between 1 and 64", ngram)
			}
			stderr := cmd.ErrOrStderr()
			var metaMap map[string]corpus.Meta
			if meta != "" {
				m, err := corpus.ReadMeta(meta, func(p *corpus.Problem) {
					if !quiet {
						fmt.Fprintln(stderr, "reprint: --meta: skipped:", p.Error())
					}
				})
				if err != nil {
					return &exitError{code: exitInput, err: fmt.Errorf("--meta: %v", err)}
				}
				metaMap = m
			}
			c, err := corpus.Open(args, corpus.Options{IDField: fields[0], TextField: fields[1], DateField: fields[2],
				SourceField: fields[3], URLField: fields[4], Stdin: cmd.InOrStdin()})
			if err != nil {
				return usageErr("%v", err)
			}
			defer c.Close()
			ix, err := openIndex(dir, index.Options{Create: true, NoText: noText, Threshold: threshold, NGram: ngram})
			if err != nil {
				return err
			}
			defer ix.Close()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()

			start := time.Now()
			var st struct {
				Added, Replaced, Rejected, Skipped, InputErrors int
				Bytes                                           int64
			}
			// Reading and decoding (one goroutine) run ahead of adding (this
			// one), which analyzes each batch on all cores and commits it.
			ctx, cancel := context.WithCancelCause(ctx)
			defer cancel(nil)
			var mu sync.Mutex // guards strictErr and stderr
			var strictErr error
			fail := func(e error) {
				mu.Lock()
				defer mu.Unlock()
				if strictErr == nil {
					strictErr = e
					cancel(e)
				}
			}
			problem := func(p *corpus.Problem) {
				if p.Input {
					st.InputErrors++
				} else {
					st.Skipped++
				}
				if !quiet {
					mu.Lock()
					fmt.Fprintln(stderr, "reprint: skipped:", p.Error())
					mu.Unlock()
				}
				if strict {
					code := exitSkipped
					if p.Input {
						code = exitInput
					}
					fail(&exitError{code: code, err: fmt.Errorf("--strict: %s", p.Error())})
				}
			}
			batches := make(chan []index.Doc, 2)
			scanErr := make(chan error, 1)
			go func() {
				defer close(batches)
				var pending []index.Doc
				pendingBytes := 0
				send := func() error {
					select {
					case batches <- pending:
					case <-ctx.Done():
						return context.Cause(ctx)
					}
					pending, pendingBytes = nil, 0
					return nil
				}
				err := c.Scan(ctx, func(r corpus.Record) error {
					d, err := c.Decode(r)
					if err != nil {
						var p *corpus.Problem
						if errors.As(err, &p) {
							problem(p)
							return nil
						}
						return err
					}
					if m, ok := metaMap[d.ID]; ok {
						m.Apply(&d)
					}
					st.Bytes += int64(len(d.Text))
					pending = append(pending, d)
					pendingBytes += len(d.Text)
					if len(pending) >= batch || pendingBytes >= 32<<20 {
						return send()
					}
					return nil
				}, problem)
				if err == nil && len(pending) > 0 {
					err = send()
				}
				scanErr <- err
			}()
			var addErr error
			for b := range batches {
				if addErr != nil || ctx.Err() != nil {
					continue // drain
				}
				res, err := ix.Add(b)
				if err != nil {
					addErr = err
					cancel(err)
					continue
				}
				for _, r := range res {
					switch r.Status {
					case index.StatusAdded:
						st.Added++
					case index.StatusReplaced:
						st.Replaced++
					default:
						st.Rejected++
						if !quiet {
							mu.Lock()
							fmt.Fprintf(stderr, "reprint: rejected %q: %s\n", r.ID, r.Error)
							mu.Unlock()
						}
						if strict {
							fail(&exitError{code: exitSkipped, err: fmt.Errorf("--strict: %q rejected: %s", r.ID, r.Error)})
						}
					}
				}
			}
			err = <-scanErr
			if addErr != nil {
				err = addErr
			}
			wall := time.Since(start)
			if strictErr != nil {
				return strictErr
			}
			if err != nil {
				if errors.Is(context.Cause(ctx), context.Canceled) {
					return &exitError{code: exitCanceled, err: fmt.Errorf("interrupted; the documents reported before were added")}
				}
				return err
			}
			if !quiet {
				docs := st.Added + st.Replaced
				s, _ := ix.Stats()
				if jsonSummary {
					writeJSONSummary(stderr, map[string]any{"command": "index add", "added": st.Added, "replaced": st.Replaced,
						"rejected": st.Rejected, "skipped": st.Skipped, "input_errors": st.InputErrors, "bytes": st.Bytes,
						"wall_seconds": wall.Seconds(), "docs_per_s": float64(docs) / wall.Seconds(), "index": s}, nil)
				} else {
					fmt.Fprintf(stderr, "reprint index add: %d added, %d replaced, %d rejected, %d skipped records, %d unreadable inputs (%.1f MB in %.2fs, %.0f docs/s)\n",
						st.Added, st.Replaced, st.Rejected, st.Skipped, st.InputErrors, float64(st.Bytes)/1e6, wall.Seconds(), float64(docs)/wall.Seconds())
					fmt.Fprintf(stderr, "  index %s: %d documents, %.1f MB on disk\n", dir, s.Documents, float64(s.DiskBytes)/1e6)
				}
			}
			return inputExit(st.InputErrors)
		},
	}
	indexFlag(c, &dir)
	fs := c.Flags()
	fs.StringVar(&fields[0], "id-field", "id", "JSONL/Parquet field holding the document ID")
	fs.StringVar(&fields[1], "text-field", "text", "JSONL/Parquet field holding the text")
	fs.StringVar(&fields[2], "date-field", "date", "JSONL/Parquet field holding the date (YYYY-MM-DD or RFC 3339)")
	fs.StringVar(&fields[3], "source-field", "source", "JSONL/Parquet field holding the source (outlet, site)")
	fs.StringVar(&fields[4], "url-field", "url", "JSONL/Parquet field holding the URL")
	fs.StringVar(&meta, "meta", "", `JSONL sidecar of metadata by document ID, one {"id", "date", "source", "url"} a line`)
	fs.BoolVar(&noText, "no-text", false, "keep only hashes, not texts (no passages; set when the index is created)")
	fs.Float64Var(&threshold, "threshold", 0.8, "near-duplicate Jaccard threshold (set when the index is created)")
	fs.IntVar(&ngram, "ngram", 5, "words per shingle (set when the index is created)")
	fs.IntVar(&batch, "batch", 2000, "documents per synced commit")
	fs.BoolVar(&strict, "strict", false, "stop at the first record or input that cannot be used (exit 4 or 3)")
	fs.BoolVar(&jsonSummary, "json", false, "print the summary on stderr as one JSON object")
	fs.BoolVarP(&quiet, "quiet", "q", false, "print nothing on stderr but errors")
	return c
}

const indexQueryLong = `Query the index with one text: FILE's bytes, or standard input with -.
Prints the text's near-duplicates in the index (Jaccard of shingle sets at
or above the index threshold, and containment: the share of the query's
shingles the document holds), then the passages the text shares with
stored documents, each with the document's date and source and the
earliest known source of the passage. --id queries a stored document
instead of a text. --json prints the result exactly as POST /v1/query
returns it.`

func newIndexQueryCmd() *cobra.Command {
	var dir, id string
	var q index.Query
	var asJSON bool
	c := &cobra.Command{
		Use:   "query --index DIR [flags] FILE|-",
		Short: "Near-duplicates and reused passages of one text",
		Long:  indexQueryLong,
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case id == "" && len(args) == 0:
				return usageErr("name a FILE, - for standard input, or --id ID")
			case id != "" && len(args) > 0:
				return usageErr("give either FILE or --id, not both")
			}
			if id != "" {
				q.ID = id
			} else {
				if args[0] == "-" {
					b, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), index.MaxTextBytes+1))
					if err != nil {
						return &exitError{code: exitInput, err: err}
					}
					q.Text = string(b)
				} else if err := readQueryFile(args[0], &q); err != nil {
					return err
				}
			}
			ix, err := openIndex(dir, index.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer ix.Close()
			res, err := ix.Query(context.Background(), q)
			if errors.Is(err, index.ErrNotFound) {
				return &exitError{code: exitInput, err: err}
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetEscapeHTML(false)
				return enc.Encode(res)
			}
			printQuery(out, q, res)
			return nil
		},
	}
	indexFlag(c, &dir)
	fs := c.Flags()
	fs.StringVar(&id, "id", "", "query the stored document with this ID instead of a text")
	fs.StringVar(&q.Date, "date", "", "the text's date (YYYY-MM-DD), for direction and earliest source")
	fs.StringVar(&q.Source, "source", "", "the text's source")
	fs.Float64Var(&q.MinJaccard, "min-jaccard", 0, "leave out near-duplicates below this Jaccard (default: the index threshold)")
	fs.IntVar(&q.Limit, "limit", 50, "most near-duplicates and matched documents shown")
	fs.BoolVar(&q.Excerpts, "excerpts", false, "with --json: add each passage's text on both sides, differences marked")
	fs.BoolVar(&asJSON, "json", false, "print the result as one JSON object")
	return c
}

// readQueryFile reads FILE through package corpus, as align does, so a
// date header gives the query's date and is not part of its words.
func readQueryFile(path string, q *index.Query) error {
	c, err := corpus.Open([]string{path}, corpus.Options{})
	if err != nil {
		return usageErr("%v", err)
	}
	defer c.Close()
	var doc *corpus.Doc
	var perr error
	err = c.Scan(context.Background(), func(r corpus.Record) error {
		d, err := c.Decode(r)
		if err != nil {
			return err
		}
		doc = &d
		return errStop
	}, func(p *corpus.Problem) {
		if perr == nil {
			perr = p
		}
	})
	switch {
	case perr != nil:
		return &exitError{code: exitInput, err: perr}
	case err != nil && !errors.Is(err, errStop):
		return &exitError{code: exitInput, err: err}
	case doc == nil:
		return &exitError{code: exitInput, err: fmt.Errorf("%s: no document", path)}
	}
	q.Text = doc.Text[doc.Start:]
	if q.Date == "" {
		q.Date = doc.Date
	}
	if q.Source == "" {
		q.Source = doc.Source
	}
	return nil
}

var errStop = errors.New("stop")

func printQuery(w io.Writer, q index.Query, r *index.Result) {
	text := q.Text
	fmt.Fprintf(w, "%s: %d words\n", r.Query, r.Words)
	if len(r.NearDuplicates) == 0 {
		fmt.Fprintln(w, "near-duplicates: none")
	} else {
		fmt.Fprintf(w, "near-duplicates: %d\n", len(r.NearDuplicates))
		for _, n := range r.NearDuplicates {
			fmt.Fprintf(w, "  jaccard %.3f  containment %.3f  %s%s\n", n.Jaccard, n.Containment, n.ID, dateSource(n.Date, n.Source))
		}
	}
	if len(r.Passages) == 0 {
		fmt.Fprintln(w, "passages: none")
		return
	}
	fmt.Fprintf(w, "passages: %d\n", len(r.Passages))
	for _, p := range r.Passages {
		fmt.Fprintf(w, "  %s [%d:%d] %d words, identity %.2f%s; query [%d:%d]\n", p.B, p.BStart, p.BEnd, p.Words, p.Identity,
			dateSource(p.Date, p.Source), p.AStart, p.AEnd)
		if p.Earliest.ID != "" {
			fmt.Fprintf(w, "    earliest: %s%s (%s)\n", p.Earliest.ID, dateSource(p.Earliest.Date, p.Earliest.Source), p.Earliest.Status)
		} else {
			fmt.Fprintf(w, "    earliest: %s\n", p.Earliest.Status)
		}
		if text != "" && p.AEnd <= len(text) {
			fmt.Fprintf(w, "    %q\n", clipWords(text[p.AStart:p.AEnd], 120))
		}
	}
}

func dateSource(date, source string) string {
	parts := []string{}
	if date != "" {
		parts = append(parts, date)
	}
	if source != "" {
		parts = append(parts, source)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func clipWords(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + " …"
}

func newIndexDeleteCmd() *cobra.Command {
	var dir string
	c := &cobra.Command{
		Use:   "delete --index DIR ID...",
		Short: "Delete documents from the index by ID",
		Long:  "Delete the documents with these IDs. IDs the index does not hold are reported on stderr; the command then exits with 3.",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ix, err := openIndex(dir, index.Options{})
			if err != nil {
				return err
			}
			defer ix.Close()
			found, err := ix.Delete(args)
			if err != nil {
				return err
			}
			missing := 0
			for i, ok := range found {
				if ok {
					fmt.Fprintf(cmd.OutOrStdout(), "deleted %s\n", args[i])
				} else {
					missing++
					fmt.Fprintf(cmd.ErrOrStderr(), "reprint: not in the index: %s\n", args[i])
				}
			}
			if missing > 0 {
				return &exitError{code: exitInput, err: fmt.Errorf("%d of %d IDs were not in the index", missing, len(args))}
			}
			return nil
		},
	}
	indexFlag(c, &dir)
	return c
}

func newIndexStatsCmd() *cobra.Command {
	var dir string
	var asJSON bool
	c := &cobra.Command{
		Use:   "stats --index DIR",
		Short: "Show the index's documents, size on disk and parameters",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ix, err := openIndex(dir, index.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer ix.Close()
			s, err := ix.Stats()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(out).Encode(s)
			}
			fmt.Fprintf(out, "index %s (format %d)\n", s.Dir, s.Format)
			fmt.Fprintf(out, "  documents: %d (%d words, %.1f MB of text)\n", s.Documents, s.Words, float64(s.TextBytes)/1e6)
			fmt.Fprintf(out, "  on disk: %.1f MB, %.0f bytes per document\n", float64(s.DiskBytes)/1e6, s.BytesPerDoc)
			fmt.Fprintf(out, "  near-duplicates: Jaccard >= %.2f of %d-word shingles, %d bands x %d rows\n", s.Threshold, s.NGram, s.Bands, s.Rows)
			fmt.Fprintf(out, "  passages: %d-word anchors, winnowing window %d; texts stored: %v\n", s.Anchor, s.Window, s.Text)
			return nil
		},
	}
	indexFlag(c, &dir)
	c.Flags().BoolVar(&asJSON, "json", false, "print the statistics as JSON")
	return c
}
