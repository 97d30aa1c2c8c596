// The server: routes, the middleware every request goes through (metrics,
// logging, panics turned into 500s), and a graceful run loop.
//
// Routes are matched on path only and each route checks its own methods,
// so that a wrong method gets a JSON 405 like every other error rather
// than net/http's plain-text one. Shutdown (context cancelled, e.g. on
// SIGTERM) stops accepting connections and waits for requests in flight,
// writes included, up to ShutdownTimeout; the index is the caller's to
// close afterwards.
//
// Not done: TLS (put a reverse proxy in front), rate limiting, CORS (the
// UI is served from the same origin).

package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/reprint/reprint/index"
)

// Options configure a Server.
type Options struct {
	Token           string        // bearer token required for writes; "" leaves writes open
	MaxBodyBytes    int64         // request body limit; 0 means 32 MiB
	ReadTimeout     time.Duration // 0 means 60s
	WriteTimeout    time.Duration // 0 means 120s
	ShutdownTimeout time.Duration // 0 means 30s
	Logger          *slog.Logger  // nil means no request log
}

// Server serves one index.
type Server struct {
	ix  *index.Index
	opt Options
	log *slog.Logger
	met *metrics
	mux *http.ServeMux
}

// New returns a Server for ix.
func New(ix *index.Index, opt Options) *Server {
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 32 << 20
	}
	if opt.ReadTimeout <= 0 {
		opt.ReadTimeout = 60 * time.Second
	}
	if opt.WriteTimeout <= 0 {
		opt.WriteTimeout = 120 * time.Second
	}
	if opt.ShutdownTimeout <= 0 {
		opt.ShutdownTimeout = 30 * time.Second
	}
	s := &Server{ix: ix, opt: opt, log: opt.Logger, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.met = newMetrics(ix)
	s.routes()
	return s
}

type methods map[string]http.HandlerFunc

func (s *Server) route(pattern, name string, ms methods) {
	s.mux.Handle(pattern, s.instrument(name, func(w http.ResponseWriter, r *http.Request) {
		h, ok := ms[r.Method]
		if !ok && r.Method == http.MethodHead {
			h, ok = ms[http.MethodGet]
		}
		if !ok {
			allow := strings.Join(slices.Sorted(maps.Keys(ms)), ", ")
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, "method %s not allowed on %s (allowed: %s)", r.Method, r.URL.Path, allow)
			return
		}
		h(w, r)
	}))
}

func (s *Server) routes() {
	s.route("/v1/documents", "documents", methods{http.MethodPost: s.writer(s.addDocuments)})
	s.route("/v1/documents/{id...}", "document", methods{
		http.MethodGet:    s.getDocument,
		http.MethodDelete: s.writer(s.deleteDocument),
	})
	s.route("/v1/query", "query", methods{http.MethodPost: s.query})
	s.route("/v1/stats", "stats", methods{http.MethodGet: s.stats})
	s.route("/v1/openapi.json", "openapi", methods{http.MethodGet: serveOpenAPI})
	s.route("/healthz", "healthz", methods{http.MethodGet: func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}})
	s.mux.Handle("/metrics", s.met.handler())
	s.mux.Handle("/v1/{rest...}", s.instrument("unknown", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path)
	}))
	s.mux.Handle("/", s.instrument("ui", s.ui()))
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// instrument counts, times and logs a route's requests, and turns a panic
// into a JSON 500 instead of a dropped connection.
func (s *Server) instrument(name string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "route", name, "panic", v, "stack", string(debug.Stack()))
				if sw.code == 0 {
					writeError(sw, http.StatusInternalServerError, "internal error")
				}
			}
			d := time.Since(start)
			s.met.observe(name, r.Method, sw.code, d)
			s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.code, "ms", float64(d.Microseconds())/1000)
		}()
		h(sw, r)
	})
}

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends, then shuts down gracefully: no new
// connections, requests in flight (writes included) finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.opt.ReadTimeout,
		WriteTimeout:      s.opt.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.opt.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
