// reprint serve: the index behind the HTTP API and the web UI (package
// server). This file only parses flags, opens the index, wires SIGTERM and
// SIGINT to a graceful shutdown and closes the index after the last
// request has finished.

package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

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
  POST   /v1/query            {"text": "..."} or {"id": "..."}
  GET    /v1/stats, /healthz, /metrics (Prometheus), /v1/openapi.json

With --token-file, writes need "Authorization: Bearer TOKEN" (the file's
first line); reads stay open. The index is created if DIR holds none.
SIGTERM or Ctrl-C stops accepting requests, lets those in flight finish,
and closes the index.`

func newServeCmd() *cobra.Command {
	var dir, addr, tokenFile, maxBody string
	var quiet bool
	var cacheMB int
	c := &cobra.Command{
		Use:   "serve --index DIR [--addr 127.0.0.1:8080] [--token-file F]",
		Short: "Serve the index: HTTP JSON API and web UI",
		Long:  serveLong,
		Example: `  reprint index add --index news.idx --meta testdata/news-meta.jsonl testdata/news
  reprint serve --index news.idx
  curl -s localhost:8080/v1/query -d '{"text": "..."}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return usageErr("--index DIR is required")
			}
			limit, err := humanize.ParseBytes(maxBody)
			if err != nil || limit < 1024 || limit > 1<<34 {
				return usageErr("--max-body %q: want a size between 1KiB and 16GiB, e.g. 32MiB", maxBody)
			}
			opt := server.Options{MaxBodyBytes: int64(limit)}
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
			if cacheMB < 8 || cacheMB > 1<<20 {
				return usageErr("--cache-mb %d: must be between 8 and 1048576", cacheMB)
			}
			ix, err := index.Open(dir, index.Options{Create: true, Logger: logger, CacheMB: cacheMB})
			if err != nil {
				return err
			}
			defer ix.Close()
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			st, _ := ix.Stats()
			logger.Warn("serving", "url", "http://"+ln.Addr().String()+"/", "index", dir, "documents", st.Documents, "auth", opt.Token != "")
			if err := server.New(ix, opt).Serve(ctx, ln); err != nil {
				return err
			}
			logger.Warn("stopped", "index", dir)
			return nil
		},
	}
	fs := c.Flags()
	fs.StringVar(&dir, "index", "", "the index directory (required; created if missing)")
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&tokenFile, "token-file", "", "file whose first line is the bearer token writes need")
	fs.StringVar(&maxBody, "max-body", "32MiB", "largest request body accepted (413 past it)")
	fs.IntVar(&cacheMB, "cache-mb", 512, "block cache in MiB; query latency at scale depends on the posting lists fitting (about 2 GiB for a million documents)")
	fs.BoolVarP(&quiet, "quiet", "q", false, "log only warnings and errors, not every request")
	return c
}
