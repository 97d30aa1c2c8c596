// reprint index add|query|stories|delete|stats: the persistent index
// (package index) from the command line: flags and a call each.
//
// add reads its inputs through package corpus like every other command
// (same formats, same field flags, --meta) and hands them to index.Ingest,
// which decodes ahead, commits batches of --batch documents (each one
// synced commit, so what add reported as added survives a crash) and stops
// after the commit in progress on Ctrl-C. query reads one text (a file,
// whose date header gives the query's date and whose offsets are into the
// file's bytes, or standard input with -) and prints its near-duplicates
// and passages and the story it would join, or with --json the exact
// result the HTTP API returns. stories lists the index's stories or shows
// one with its documents in date order, as GET /v1/stories does.
// Strings that come from the documents (IDs, dates, sources) are escaped
// before they reach a terminal.
//
// Not done: reading JSONL queries in bulk (use the HTTP API for many
// queries).

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
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/index"
	"github.com/reprint/reprint/internal/errs"
	"github.com/spf13/cobra"
)

const indexLong = `A persistent index of documents that grows, shrinks and survives restarts:
add documents, ask whether a new text copies any of them (near-duplicates
with Jaccard and containment, reused passages with byte spans, the matched
documents' dates and sources and each passage's earliest known source),
delete documents, and see statistics. "reprint serve" puts the same index
behind an HTTP API and a web page.

Every document added is assigned to a story: the reports of one event (the
same happening, at one time, with the same people or places), as "reprint
stories" finds them, but one document at a time, in the order they are
added. A query says which story its text would join; "index stories" lists
the stories and shows each one's documents in date order.

The index is a directory (an embedded Pebble store). It is created by the
first add, in a directory that is missing or empty; an existing index is
never created over. Every add and delete is committed to disk before the
command reports it, so a crash loses nothing that was reported.` + indexExitCodes

func newIndexCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "index",
		Short: "Add documents to a persistent index, query it, delete from it",
		Long:  indexLong,
		Example: `  reprint index add --index news.idx --meta testdata/news-meta.jsonl testdata/news
  reprint index query --index news.idx testdata/news/001_e55fcabe4c6a2c3c.txt
  reprint index stories --index news.idx --min-docs 2
  reprint index delete --index news.idx 001_e55fcabe4c6a2c3c.txt
  reprint index stats --index news.idx`,
	}
	c.AddCommand(newIndexAddCmd(), newIndexQueryCmd(), newIndexStoriesCmd(), newIndexDeleteCmd(), newIndexStatsCmd())
	return c
}

func indexFlag(c *cobra.Command, dir *string) {
	c.Flags().StringVar(dir, "index", "", "the index directory (required)")
}

// indexFlagNames maps the index's option names to flags.
var indexFlagNames = map[string]string{"threshold": "--threshold", "ngram": "--shingle"}

// openIndex opens the index in dir; what keeps it from opening is an
// input error (exit 3), an option out of range a usage error.
func openIndex(dir string, opt index.Options) (*index.Index, error) {
	if dir == "" {
		return nil, usageErr("--index DIR is required")
	}
	ix, err := index.Open(dir, opt)
	if err != nil {
		if oe, ok := errs.AsOption(err); ok {
			return nil, usageErr("%s %v: %s", indexFlagNames[oe.Option], oe.Value, oe.Reason)
		}
		var se *index.StorageError
		if errors.As(err, &se) {
			return nil, err
		}
		return nil, &exitError{code: exitInput, err: err}
	}
	return ix, nil
}

const indexAddLong = `Add the documents of INPUT... to the index in DIR, creating it if needed.
INPUT is anything "reprint pairs" reads. A document whose ID is already in
the index replaces it. --threshold, --shingle, --no-text and --no-stories
only apply when the index is created; the index remembers them.

Each document is assigned to a story as it is added, in input order (the
same documents in the same order give the same stories). The assignment is
committed with the document; story IDs go on across adds, restarts and
crashes. Story assignment is the costly part of an add: at 100,000
documents it about doubles an add's CPU (the single pass, in input order
on one core, about 57 µs a document; term extraction, about 15 µs on the
workers; and the larger writes), and it keeps about 650 bytes a document
of saved state (the file
stories.state in DIR; keep it with the index when copying it).
--no-stories leaves stories out.

Documents are committed in batches of --batch, each one synced to disk.
Ctrl-C (or SIGTERM) stops after the commit in progress and says how many
documents were added; running the same add again finishes the job (a
re-added ID replaces itself).

A summary goes to stderr: documents added, replaced, rejected by the index
(too large, a bad ID) and skipped as unreadable, with the file and line of
each; the size of the text added; and the index's documents and size on
disk.` + indexExitCodes

func newIndexAddCmd() *cobra.Command {
	var dir string
	var in inputFlags
	var noText, noStories bool
	var threshold float64
	var ngram, batch int
	c := &cobra.Command{
		Use:   "add --index DIR [flags] INPUT...",
		Short: "Add documents to the index (re-adding an ID replaces it)",
		Long:  indexAddLong,
		Example: `  reprint index add --index news.idx --meta testdata/news-meta.jsonl testdata/news
  reprint index add --index web.idx --text-field body --batch 500 crawl/*.jsonl.zst
  zcat feed.jsonl.gz | reprint index add --index news.idx -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("no INPUT given; name a folder, a .jsonl/.parquet file, or - for stdin")
			}
			if batch < 1 || batch > 100000 {
				return usageErr("--batch %d: must be between 1 and 100000", batch)
			}
			stderr := cmd.ErrOrStderr()
			meta, _, err := in.readMeta(stderr)
			if err != nil {
				return err
			}
			c, err := in.open(cmd, args)
			if err != nil {
				return err
			}
			defer c.Close()
			ix, err := openIndex(dir, index.Options{Create: true, NoText: noText, NoStories: noStories, Threshold: threshold, NGram: ngram})
			if err != nil {
				return err
			}
			defer ix.Close()
			return runIndexAdd(cmd.Context(), stderr, dir, ix, c, meta, &in, batch)
		},
	}
	indexFlag(c, &dir)
	in.register(c)
	fs := c.Flags()
	fs.Lookup("strict").Usage = "stop at the first record, input or --meta line that cannot be used, or document the index rejects (exit 4 or 3)"
	fs.Lookup("workers").Usage = "parallel decoding workers (default: all cores); the index is the same for any number"
	fs.BoolVar(&noText, "no-text", false, "keep only hashes, not texts (no passages; set when the index is created)")
	fs.BoolVar(&noStories, "no-stories", false, "do not assign documents to stories (set when the index is created)")
	fs.Float64Var(&threshold, "threshold", 0.8, "near-duplicate Jaccard threshold, in (0, 1] (set when the index is created)")
	fs.IntVar(&ngram, "shingle", 5, "words per shingle (set when the index is created)")
	alias(c, "ngram", "shingle")
	fs.IntVar(&batch, "batch", 2000, "documents per synced commit")
	return c
}

// runIndexAdd ingests c into ix and reports.
func runIndexAdd(parent context.Context, stderr io.Writer, dir string, ix *index.Index, c *corpus.Corpus,
	meta map[string]corpus.Meta, in *inputFlags, batch int) error {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	bar := newProgress(stderr, in.quiet)
	probs := &problems{w: stderr, quiet: in.quiet, strict: in.strict, bar: bar, cancel: cancel}
	start := time.Now()
	st, err := index.Ingest(ctx, ix, c, index.IngestOptions{BatchDocs: batch, Workers: in.workers, Meta: meta,
		OnProblem: probs.handle, Progress: bar.set})
	bar.finish()
	wall := time.Since(start)
	done := fmt.Sprintf("%d documents were committed before it (%d added, %d replaced, in %d commits); the rest were not",
		st.Added+st.Replaced, st.Added, st.Replaced, st.Commits)
	if serr := probs.stopped(); serr != nil {
		var ee *exitError
		errors.As(serr, &ee)
		return &exitError{code: ee.code, err: fmt.Errorf("%w; %s", ee.err, done)}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return &exitError{code: exitCanceled, err: fmt.Errorf("interrupted; %s. Run the same add again to finish: a re-added ID replaces itself", done)}
		}
		return fmt.Errorf("%w\n  %s", err, done)
	}
	if in.quiet {
		return runExit(st.Added+st.Replaced, st.Records, st.InputErrors, probs)
	}
	s, err := ix.Stats(context.Background())
	if err != nil {
		return err
	}
	docs := st.Added + st.Replaced
	if in.jsonSummary {
		writeJSONSummary(stderr, map[string]any{"command": "index add", "added": st.Added, "replaced": st.Replaced,
			"rejected": st.Rejected, "skipped": st.Skipped, "skipped_reasons": st.SkippedReasons, "input_errors": st.InputErrors,
			"records": st.Records, "commits": st.Commits, "text_bytes": st.Bytes, "warnings": in.warnings.Load(),
			"wall_seconds": wall.Seconds(), "docs_per_s": float64(docs) / wall.Seconds(), "index": s}, nil)
		return runExit(st.Added+st.Replaced, st.Records, st.InputErrors, probs)
	}
	fmt.Fprintf(stderr, "reprint index add: %d added, %d replaced, %d rejected, %d skipped records, %d unreadable inputs (%.1f MB of text in %.2fs, %.0f docs/s)\n",
		st.Added, st.Replaced, st.Rejected, st.Skipped, st.InputErrors, float64(st.Bytes)/1e6, wall.Seconds(), float64(docs)/wall.Seconds())
	fmt.Fprintf(stderr, "  index %s: %s, %.1f MB of text; store %.1f MB on disk (Pebble's live files; du counts disk blocks and files awaiting deletion too)\n",
		termSafe(dir), count(int(s.Documents), "document"), float64(s.TextBytes)/1e6, float64(s.DiskBytes)/1e6)
	in.warningsLine(stderr)
	return runExit(st.Added+st.Replaced, st.Records, st.InputErrors, probs)
}

const indexQueryLong = `Query the index with one text: FILE (read like a folder's file: a first
line " date YYYY-MM-DD" gives the query's date and is not matched), or
standard input with -. Prints the text's near-duplicates in the index
(Jaccard of shingle sets at or above the index threshold, and containment:
the share of the query's shingles the document holds), then the passages
the text shares with stored documents, each with the document's date and
source and the earliest known source of the passage. Offsets ("query
[a:b]") are byte offsets into FILE's bytes (or standard input's), and into
the stored document's text for the other side. --id queries a stored
document instead of a text. --json prints the result exactly as POST
/v1/query returns it.

It also says which story the text would join if it were added (it is not
added): the story whose documents it is most similar to, by cosine of
weighted terms (names, numbers and dates weigh more), when that reaches the
index's threshold and the text's date (--date, or the file's date header)
lies within the story's window; with the story's documents in date order.
Otherwise it says the text would start a new story, and names the closest.
For --id, the story the document is in. --no-story leaves it out.

A result cut short says so: near-duplicates or documents beyond --limit,
candidates beyond the most the index aligns, anchors too common to look up
(in its "cut" object with --json).` + indexExitCodes

func newIndexQueryCmd() *cobra.Command {
	var dir, id string
	var q index.Query
	var asJSON bool
	c := &cobra.Command{
		Use:   "query --index DIR [flags] FILE|-",
		Short: "Near-duplicates and reused passages of one text",
		Long:  indexQueryLong,
		Example: `  reprint index query --index news.idx testdata/news/000_a2e0a91b0cb3cf6c.txt
  reprint index query --index news.idx --id 001_e55fcabe4c6a2c3c.txt --json --excerpts
  curl -s https://example.org/story.txt | reprint index query --index news.idx --date 2024-05-01 -`,
		Args: cobra.MaximumNArgs(1),
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
			if errors.Is(err, index.ErrNotFound) || errors.Is(err, index.ErrInvalidQuery) {
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
	fs.IntVar(&q.Limit, "limit", 50, "most near-duplicates and matched documents shown (what is left out is counted)")
	fs.BoolVar(&q.Excerpts, "excerpts", false, "with --json: add each passage's text on both sides, differences marked")
	fs.BoolVar(&asJSON, "json", false, "print the result as one JSON object")
	fs.BoolVar(&q.NoStory, "no-story", false, "leave out the story the text would join")
	return c
}

// readQueryFile reads FILE through package corpus, as align does, so a
// date header gives the query's date and is not part of its words; the
// text stays whole, so that offsets are into the file's bytes.
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
	q.Text, q.Start = doc.Text, doc.Start
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
	fmt.Fprintf(w, "%s: %d words\n", termSafe(r.Query), r.Words)
	if r.Story != nil {
		printQueryStory(w, r.Story, q.ID != "")
	}
	if len(r.NearDuplicates) == 0 {
		fmt.Fprintln(w, "near-duplicates: none")
	} else {
		fmt.Fprintf(w, "near-duplicates: %d\n", len(r.NearDuplicates))
		for _, n := range r.NearDuplicates {
			fmt.Fprintf(w, "  jaccard %.3f  containment %.3f  %s%s\n", n.Jaccard, n.Containment, termSafe(n.ID), dateSource(n.Date, n.Source))
		}
	}
	if len(r.Passages) == 0 {
		fmt.Fprintln(w, "passages: none")
	} else {
		fmt.Fprintf(w, "passages: %d\n", len(r.Passages))
	}
	for _, p := range r.Passages {
		fmt.Fprintf(w, "  %s [%d:%d] %d words, identity %.2f%s; query [%d:%d]\n", termSafe(p.B), p.BStart, p.BEnd, p.Words, p.Identity,
			dateSource(p.Date, p.Source), p.AStart, p.AEnd)
		if p.Earliest.ID != "" {
			fmt.Fprintf(w, "    earliest: %s%s (%s)\n", termSafe(p.Earliest.ID), dateSource(p.Earliest.Date, p.Earliest.Source), p.Earliest.Status)
		} else {
			fmt.Fprintf(w, "    earliest: %s\n", p.Earliest.Status)
		}
		if text != "" && p.AEnd <= len(text) {
			fmt.Fprintf(w, "    %q\n", clipWords(text[p.AStart:p.AEnd], 120))
		}
	}
	if r.Cut != nil {
		for _, line := range cutLines(r.Cut, q.Limit) {
			fmt.Fprintln(w, "cut:", line)
		}
	}
}

// printQueryStory prints the story a query's text would join (stored:
// the story a queried document is in), with its documents in date order.
func printQueryStory(w io.Writer, s *index.QueryStory, stored bool) {
	switch {
	case s.ID == "":
		fmt.Fprintln(w, "story: none: the text would start a new story (no story within reach of its date shares its words and names)")
		return
	case !s.Joined:
		fmt.Fprintf(w, "story: none: the text would start a new story (the closest, %s, is at cosine %.2f; a text joins at %.2f within the story's dates)\n",
			s.ID, s.Score, s.Threshold)
		return
	case stored:
		fmt.Fprintf(w, "story: %s: %s\n", s.ID, storySummary(&s.Story))
	default:
		fmt.Fprintf(w, "story: %s (cosine %.2f, joins at %.2f): %s\n", s.ID, s.Score, s.Threshold, storySummary(&s.Story))
	}
	printStoryDocs(w, &s.Story, "--limit")
}

// storySummary is a story's size, dates, sources and terms on one line.
func storySummary(s *index.Story) string {
	var b strings.Builder
	b.WriteString(count(s.Size, "document"))
	switch {
	case s.First == "":
		b.WriteString(", undated")
	case s.First == s.Last:
		b.WriteString(", " + s.First)
	default:
		b.WriteString(", " + s.First + " to " + s.Last)
	}
	if len(s.Sources) > 0 {
		b.WriteString("; " + strings.Join(s.Sources, ", "))
	}
	if len(s.Terms) > 0 {
		b.WriteString("; terms: " + strings.Join(s.Terms, ", "))
	}
	return termSafe(b.String())
}

// printStoryDocs prints a story's documents, one a line, in the order
// given (date order), and how many more there are.
func printStoryDocs(w io.Writer, s *index.Story, limitFlag string) {
	for _, d := range s.Docs {
		date := d.Date
		if date == "" {
			date = "undated"
		}
		src := ""
		if d.Source != "" {
			src = "  (" + termSafe(d.Source) + ")"
		}
		fmt.Fprintf(w, "  %-10s  %s%s\n", termSafe(date), termSafe(d.ID), src)
	}
	if s.DocsCut > 0 {
		fmt.Fprintf(w, "  ... %d more beyond %s\n", s.DocsCut, limitFlag)
	}
}

const indexStoriesLong = `List the index's stories, or show one.

A story is the reports of one event: documents that tell the same
happening, at one time, with the same people or places, in their own words
or copied. Each document was assigned to a story when it was added, in the
order documents were added: it joined the story whose documents it was
most similar to (cosine of weighted terms: content words, with names,
numbers and dates weighing more) when that reached the threshold and its
date lay within the story's window, or started a story of its own. Story
IDs (s1, s2, ...) are in the order stories started and never change.
Deleting a document takes it out of its story. Because each document was
placed when it came, knowing only the documents before it, "reprint
stories" on the same corpus (which sees all of it at once, in date order)
can group some documents differently.

Without ID: one line per story in ID order: its size, first and last date,
sources and the terms that define it. Most stories of a large index hold
one document; --min-docs 2 shows only those that gathered several. A page
holds --limit stories; the last line says how to ask for the next page
(--after). With ID: the story and its documents in date order (undated
last), with their dates and sources: its timeline.

--json prints what GET /v1/stories and GET /v1/stories/{id} return.` + indexExitCodes

func newIndexStoriesCmd() *cobra.Command {
	var dir, after string
	var limit, minDocs int
	var asJSON bool
	c := &cobra.Command{
		Use:   "stories --index DIR [flags] [ID]",
		Short: "List the index's stories, or show one with its documents in date order",
		Long:  indexStoriesLong,
		Example: `  reprint index stories --index news.idx
  reprint index stories --index news.idx --min-docs 2 --limit 20
  reprint index stories --index news.idx s1
  reprint index stories --index news.idx --json s1 | jq -r '.docs[] | .date + " " + .id'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case limit < 1 || limit > 100000:
				return usageErr("--limit %d: must be between 1 and 100000", limit)
			case minDocs < 1:
				return usageErr("--min-docs %d: must be at least 1", minDocs)
			case len(args) == 1 && (after != "" || cmd.Flags().Changed("min-docs")):
				return usageErr("--after and --min-docs list stories; they do not go with an ID")
			}
			ix, err := openIndex(dir, index.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer ix.Close()
			out := cmd.OutOrStdout()
			if len(args) == 1 {
				s, err := ix.Story(cmd.Context(), args[0], limit)
				if errors.Is(err, index.ErrNotFound) || errors.Is(err, index.ErrNoStories) {
					return &exitError{code: exitInput, err: err}
				}
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSONLine(out, s)
				}
				fmt.Fprintf(out, "%s: %s\n", s.ID, storySummary(s))
				printStoryDocs(out, s, "--limit")
				return nil
			}
			list, err := ix.Stories(cmd.Context(), index.StoriesQuery{After: after, Limit: limit, MinDocs: minDocs})
			if errors.Is(err, index.ErrInvalidQuery) {
				return usageErr("--after: %v", err)
			}
			if errors.Is(err, index.ErrNoStories) {
				return &exitError{code: exitInput, err: err}
			}
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONLine(out, list)
			}
			if len(list.Stories) == 0 {
				fmt.Fprintln(out, "no stories here")
			}
			for i := range list.Stories {
				fmt.Fprintf(out, "%s: %s\n", list.Stories[i].ID, storySummary(&list.Stories[i]))
			}
			if list.Next != "" {
				fmt.Fprintf(out, "more: --after %s\n", list.Next)
			}
			return nil
		},
	}
	indexFlag(c, &dir)
	fs := c.Flags()
	fs.StringVar(&after, "after", "", "list the stories after this ID (the next page)")
	fs.IntVar(&limit, "limit", 50, "stories listed, or with ID documents shown (the rest are counted)")
	fs.IntVar(&minDocs, "min-docs", 1, "list only stories of at least this many documents")
	fs.BoolVar(&asJSON, "json", false, "print the result as JSON, as the HTTP API does")
	return c
}

func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// cutLines says, one line each, what a query's limits left out.
func cutLines(c *index.Cut, limit int) []string {
	var out []string
	if c.NearDuplicates > 0 {
		out = append(out, fmt.Sprintf("%d more near-duplicates beyond --limit %d", c.NearDuplicates, limit))
	}
	if c.Documents > 0 {
		out = append(out, fmt.Sprintf("passages of %d more documents beyond --limit %d", c.Documents, limit))
	}
	if c.Candidates > 0 {
		out = append(out, fmt.Sprintf("%d candidate documents not aligned (at most %d are)", c.Candidates, index.MaxAlign))
	}
	if c.CommonAnchors > 0 {
		out = append(out, fmt.Sprintf("%d anchors in more than %d documents not looked up: passages of only common text can be missed", c.CommonAnchors, index.MaxDF))
	}
	if c.BandLists > 0 {
		out = append(out, fmt.Sprintf("%d band lists read only to %d entries: near-duplicates can be missed", c.BandLists, index.MaxBandPostings))
	}
	return out
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
	return " (" + termSafe(strings.Join(parts, ", ")) + ")"
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
		Long: `Delete the documents with these IDs, in one synced commit. IDs the index
does not hold are reported on stderr; the command then exits with 3.` + indexExitCodes,
		Example: `  reprint index delete --index news.idx 001_e55fcabe4c6a2c3c.txt
  reprint index delete --index news.idx $(cat withdrawn.txt)`,
		Args: cobra.MinimumNArgs(1),
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
					fmt.Fprintf(cmd.OutOrStdout(), "deleted %s\n", termSafe(args[i]))
				} else {
					missing++
					fmt.Fprintf(cmd.ErrOrStderr(), "reprint: not in the index: %s\n", termSafe(args[i]))
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
		Long: `Show the index's documents, sizes and the parameters it was created with.
Two sizes: "text" is the documents' texts as added; "store" is the store's
live files by Pebble's account (tables, write-ahead log, manifest). du
reports more than the store: it counts disk blocks, files awaiting deletion
and preallocated log space.` + indexExitCodes,
		Example: `  reprint index stats --index news.idx
  reprint index stats --index news.idx --json | jq .documents`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ix, err := openIndex(dir, index.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer ix.Close()
			s, err := ix.Stats(cmd.Context())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(out).Encode(s)
			}
			fmt.Fprintf(out, "index %s (format %d)\n", termSafe(s.Dir), s.Format)
			fmt.Fprintf(out, "  documents: %d (%d words)\n", s.Documents, s.Words)
			fmt.Fprintf(out, "  text: %.1f MB (the documents' texts as added)\n", float64(s.TextBytes)/1e6)
			fmt.Fprintf(out, "  store: %.1f MB on disk, %.0f bytes per document (Pebble's live files; du counts disk blocks and files awaiting deletion too)\n",
				float64(s.DiskBytes)/1e6, s.BytesPerDoc)
			fmt.Fprintf(out, "  near-duplicates: Jaccard >= %.2f of %d-word shingles, %d bands x %d rows\n", s.Threshold, s.NGram, s.Bands, s.Rows)
			fmt.Fprintf(out, "  passages: %d-word anchors, winnowing window %d; texts stored: %v\n", s.Anchor, s.Window, s.Text)
			if s.Stories {
				fmt.Fprintf(out, "  stories: assigned on add; saved state %s, %s added since it was saved (replayed on the next load)\n",
					humanize.Bytes(s.StoryState), count(int(s.StoryPending), "document"))
			} else {
				fmt.Fprintln(out, "  stories: none (created with --no-stories, or before stories existed)")
			}
			return nil
		},
	}
	indexFlag(c, &dir)
	c.Flags().BoolVar(&asJSON, "json", false, "print the statistics as JSON")
	return c
}
