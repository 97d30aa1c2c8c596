// reprint serve: the index behind the HTTP API and the web UI (package
// server). This file only parses flags, opens the index, wires SIGTERM and
// SIGINT to a graceful shutdown and closes the index after the last
// request has finished. The server reads and writes the one index; it takes
// them as index.Searcher and index.Writer.

package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/reprint/reprint/index"
	"github.com/reprint/reprint/server"
	"github.com/spf13/cobra"
)

const serveLong = `Serve the index in DIR over HTTP: a JSON API under /v1 and a web page at /
where a text can be pasted or uploaded and its near-duplicates and reused
passages are shown side by side.

  POST   /v1/documents        add one document {"id","text","date","source","url"} or JSONL of many
  GET    /v1/documents/{id}   a stored document
  DELETE /v1/documents/{id}   delete one
  POST   /v1/query            {"text": "..."} or {"id": "..."}: near-duplicates, passages, its story
  GET    /v1/stories          stories, paged (?after=, ?limit=, ?min_docs=)
  GET    /v1/stories/{id}     one story: its documents in date order, sources, terms
  GET    /v1/stats, /healthz, /metrics (Prometheus), /v1/openapi.json

Security. With --token-file, writes need "Authorization: Bearer TOKEN" (the
file's first line), and reads too with --token-for-reads (the web page then
asks for the token). Writes always need Content-Type: application/json (or
application/x-ndjson) and, from a browser, this server's own Origin, so a
cross-site page cannot post to it. Only the names in --allow-host are
served (DNS rebinding); without it, a server on a loopback address answers
to localhost, 127.0.0.1 and ::1 only, one on another address to any name.

Limits. A query's body is limited by --max-query (a query holds about 30
times its text in memory while it runs), writes by --max-body; at most
--max-queries queries run at once and the next ones get 429 with
Retry-After; at most --max-conns connections are open (more wait); a
request's body must arrive within --read-timeout.

The index is created if DIR is missing or empty. SIGTERM or Ctrl-C stops
accepting requests, lets those in flight finish, and closes the index. A
storage failure (a full disk) makes writes fail with a message naming the
index; the log says what happened.

Exit codes: 0 after a clean shutdown, 1 a failure (address in use, storage),
2 a usage error, 3 the index or token file could not be opened.`

func newServeCmd() *cobra.Command {
	var dir, addr, tokenFile, maxBody, maxQuery string
	var hosts []string
	var quiet, tokenReads bool
	var cacheMB, queryCacheMB, postingCacheMB, compactions, maxQueries, maxConns int
	var readTimeout time.Duration
	c := &cobra.Command{
		Use:   "serve --index DIR [--addr 127.0.0.1:8080] [--token-file F]",
		Short: "Serve the index: HTTP JSON API and web UI",
		Long:  serveLong,
		Example: `  reprint index add --index news.idx --meta testdata/news-meta.jsonl testdata/news
  reprint serve --index news.idx
  curl -s localhost:8080/v1/query -d '{"text": "..."}'
  reprint serve --index news.idx --addr 0.0.0.0:8080 --allow-host copies.example.org --token-file /etc/reprint/token`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return usageErr("--index DIR is required")
			}
			limit, err := humanize.ParseBytes(maxBody)
			if err != nil || limit < 1024 || limit > 1<<34 {
				return usageErr("--max-body %q: want a size between 1KiB and 16GiB, e.g. 32MiB", maxBody)
			}
			qlimit, err := humanize.ParseBytes(maxQuery)
			if err != nil || qlimit < 1024 || qlimit > limit {
				return usageErr("--max-query %q: want a size between 1KiB and --max-body (%s), e.g. 1MiB", maxQuery, maxBody)
			}
			switch {
			case maxQueries < 1 || maxQueries > 10000:
				return usageErr("--max-queries %d: must be between 1 and 10000", maxQueries)
			case maxConns < 1 || maxConns > 1000000:
				return usageErr("--max-conns %d: must be between 1 and 1000000", maxConns)
			case readTimeout < time.Second:
				return usageErr("--read-timeout %v: must be at least 1s", readTimeout)
			case cacheMB < 8 || cacheMB > 1<<20:
				return usageErr("--cache-mb %d: must be between 8 and 1048576", cacheMB)
			case queryCacheMB < 0 || queryCacheMB > 1<<20:
				return usageErr("--query-cache-mb %d: must be between 0 and 1048576", queryCacheMB)
			case postingCacheMB < 0 || postingCacheMB > 1<<20:
				return usageErr("--posting-cache-mb %d: must be between 0 and 1048576", postingCacheMB)
			case compactions < 1 || compactions > 64:
				return usageErr("--compactions %d: must be between 1 and 64", compactions)
			case tokenReads && tokenFile == "":
				return usageErr("--token-for-reads needs --token-file")
			}
			for _, h := range hosts {
				if _, _, err := net.SplitHostPort(h); h == "" || err == nil || strings.ContainsAny(h, "/ \t") {
					return usageErr("--allow-host %q: want a host name or address without port, e.g. copies.example.org", h)
				}
			}
			opt := server.Options{MaxBodyBytes: int64(limit), MaxQueryBytes: int64(qlimit), MaxQueries: maxQueries,
				MaxConns: maxConns, ReadTimeout: readTimeout, TokenForReads: tokenReads}
			if len(hosts) > 0 {
				opt.Hosts = hosts
			}
			if tokenFile != "" {
				tok, err := server.ReadToken(tokenFile)
				if err != nil {
					return &exitError{code: exitInput, err: fmt.Errorf("--token-file: %v", err)}
				}
				opt.Token = tok
			}
			level := slog.LevelInfo
			if quiet {
				level = slog.LevelWarn
			}
			logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			opt.Logger = logger
			ix, err := openIndex(dir, index.Options{Create: true, Logger: logger, CacheMB: cacheMB, Compactions: compactions,
				OnFatal: func(err error) { logger.Error("stopping: the index failed", "error", err) }})
			if err != nil {
				return err
			}
			defer ix.Close()
			ix.SetQueryCache(int64(queryCacheMB) << 20)
			ix.SetPostingCache(int64(postingCacheMB) << 20)
			// The stories' state is read (and the documents added since it
			// was saved replayed) before the first request, not during it.
			if err := ix.LoadStories(); err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			st, err := ix.Stats(ctx)
			if err != nil {
				return err
			}
			logger.Info("serving", "url", "http://"+ln.Addr().String()+"/", "index", dir, "documents", st.Documents,
				"auth", opt.Token != "", "auth_reads", opt.TokenForReads)
			if err := server.New(ix, ix, opt).Serve(ctx, ln); err != nil {
				return err
			}
			logger.Info("stopped", "index", dir)
			return nil
		},
	}
	fs := c.Flags()
	fs.StringVar(&dir, "index", "", "the index directory (required; created if missing or empty)")
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&tokenFile, "token-file", "", "file whose first line is the bearer token writes need (16 characters or more)")
	fs.BoolVar(&tokenReads, "token-for-reads", false, "reads (queries, documents, stats, metrics) need the token too; /healthz stays open")
	fs.StringSliceVar(&hosts, "allow-host", nil, "host name the server answers to (repeat or comma-separate); default: the loopback names on a loopback address, any name otherwise")
	fs.StringVar(&maxBody, "max-body", "32MiB", "largest write request body (413 past it)")
	fs.StringVar(&maxQuery, "max-query", "1MiB", "largest query request body (413 past it); a query holds about 30 times its text while it runs")
	fs.IntVar(&maxQueries, "max-queries", 2*runtime.GOMAXPROCS(0), "queries running at once; past it 429 with Retry-After")
	fs.IntVar(&maxConns, "max-conns", 256, "open connections at most; more wait to be accepted")
	fs.DurationVar(&readTimeout, "read-timeout", 30*time.Second, "time a request, body included, has to arrive")
	fs.IntVar(&queryCacheMB, "query-cache-mb", index.DefaultQueryCache>>20, "memory in MiB for candidate documents prepared for alignment and shared by queries (0: off); the same results either way, faster when the same documents keep coming back as candidates")
	fs.IntVar(&compactions, "compactions", index.ServingCompactions(), "background compactions of the store at once; the default, half the cores (at least 1), leaves the rest to queries, so that a writer's compactions do not stall them")
	fs.IntVar(&postingCacheMB, "posting-cache-mb", index.DefaultPostingCache>>20, "memory in MiB for the posting lists text queries read from the index's flushed tables, shared by queries and emptied at each flush (0: off); the same results either way, faster when queries share words")
	fs.IntVar(&cacheMB, "cache-mb", 512, "block cache in MiB; query latency at scale depends on the posting lists fitting (about 2 GiB for a million documents)")
	fs.BoolVarP(&quiet, "quiet", "q", false, "log only warnings and errors, not every request")
	return c
}
