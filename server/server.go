// The server: routes, the middleware every request goes through, and a
// graceful run loop.
//
// Every request passes, in order: the host check (DNS rebinding: only the
// configured host names, or the loopback names when the server listens on
// loopback, are served), the read-token check when reads need the token
// too, then its route, counted, timed and logged (panics become JSON 500s).
// Writes also need a JSON content type and, when the browser sends one, an
// Origin of this very host, which together stop cross-site form posts
// (CSRF) even when no token is set. Queries take a slot of MaxQueries;
// past them the answer is 429 with Retry-After, so a burst of expensive
// queries queues at the client, not in memory. Connections are capped at
// MaxConns (golang.org/x/net/netutil's LimitListener: further ones wait in
// the kernel's accept queue), and request bodies must arrive within
// ReadTimeout.
//
// Routes are matched on path only and each route checks its own methods,
// so that a wrong method gets a JSON 405 like every other error rather
// than net/http's plain-text one. Metric labels take known values only
// (the route's name, a known method or "other", the status code), so
// requests cannot grow the number of series. Shutdown (context cancelled,
// e.g. on SIGTERM) stops accepting connections and waits for requests in
// flight, writes included, up to ShutdownTimeout; the index is the
// caller's to close afterwards.
//
// Not done: TLS (put a reverse proxy in front), per-client rate limiting,
// CORS (the UI is served from the same origin).

package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reprint/reprint/index"
	"golang.org/x/net/netutil"
)

// Options configure a Server.
type Options struct {
	Token         string // bearer token required for writes (and reads with TokenForReads); "" leaves them open
	TokenForReads bool   // reads (queries, documents, stats, metrics) need the token too; the health check never does
	MaxBodyBytes  int64  // write request body limit; 0 means 32 MiB
	// MaxQueryBytes is the query request body limit, well below the write
	// limit: a query costs about 30 times its text in memory while it runs.
	// 0 means 1 MiB.
	MaxQueryBytes int64
	MaxQueries    int // queries running at once; past it 429. 0 means 2 per core
	MaxConns      int // open connections; 0 means 256
	// Hosts are the host names (without port) the server answers to; any
	// other Host header gets 421. Nil means: the loopback names (localhost,
	// 127.0.0.1, ::1) when listening on loopback, any host otherwise.
	Hosts           []string
	ReadTimeout     time.Duration // whole request, body included; 0 means 30s
	WriteTimeout    time.Duration // 0 means 120s
	ShutdownTimeout time.Duration // 0 means 30s
	Logger          *slog.Logger  // nil means no request log
}

// Server serves one index.
type Server struct {
	search index.Searcher
	write  index.Writer // nil: a read-only server
	opt    Options
	log    *slog.Logger
	met    *metrics
	mux    *http.ServeMux
	slots  chan struct{} // one per running query

	hmu   sync.RWMutex
	hosts map[string]bool // nil: any host
}

// New returns a Server that answers reads from s and writes through w; a
// nil w makes the server read-only (writes get 405).
func New(s index.Searcher, w index.Writer, opt Options) *Server {
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 32 << 20
	}
	if opt.MaxQueryBytes <= 0 {
		opt.MaxQueryBytes = 1 << 20
	}
	if opt.MaxQueries <= 0 {
		opt.MaxQueries = 2 * runtime.GOMAXPROCS(0)
	}
	if opt.MaxConns <= 0 {
		opt.MaxConns = 256
	}
	if opt.ReadTimeout <= 0 {
		opt.ReadTimeout = 30 * time.Second
	}
	if opt.WriteTimeout <= 0 {
		opt.WriteTimeout = 120 * time.Second
	}
	if opt.ShutdownTimeout <= 0 {
		opt.ShutdownTimeout = 30 * time.Second
	}
	srv := &Server{search: s, write: w, opt: opt, log: opt.Logger, mux: http.NewServeMux(),
		slots: make(chan struct{}, opt.MaxQueries)}
	if srv.log == nil {
		srv.log = slog.New(slog.DiscardHandler)
	}
	if opt.Hosts != nil {
		srv.setHosts(opt.Hosts)
	}
	srv.met = newMetrics(s)
	srv.routes()
	return srv
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
		http.MethodGet:    s.reader(s.getDocument),
		http.MethodDelete: s.writer(s.deleteDocument),
	})
	s.route("/v1/query", "query", methods{http.MethodPost: s.reader(s.query)})
	s.route("/v1/stats", "stats", methods{http.MethodGet: s.reader(s.stats)})
	s.route("/v1/stories", "stories", methods{http.MethodGet: s.reader(s.listStories)})
	s.route("/v1/stories/{id}", "story", methods{http.MethodGet: s.reader(s.getStory)})
	s.route("/v1/openapi.json", "openapi", methods{http.MethodGet: serveOpenAPI})
	s.route("/healthz", "healthz", methods{http.MethodGet: func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}})
	s.route("/metrics", "metrics", methods{http.MethodGet: s.reader(s.met.handler().ServeHTTP)})
	s.mux.Handle("/v1/{rest...}", s.instrument("unknown", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path)
	}))
	s.mux.Handle("/", s.instrument("ui", s.ui()))
}

// Handler returns the server's HTTP handler: the host check, then the routes.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostOK(r.Host) {
			s.met.observe("host", r.Method, http.StatusMisdirectedRequest, 0)
			writeError(w, http.StatusMisdirectedRequest, "host %q is not served here (see reprint serve --allow-host)", r.Host)
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

// setHosts sets the host names served; nil means any.
func (s *Server) setHosts(hosts []string) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if hosts == nil {
		s.hosts = nil
		return
	}
	s.hosts = map[string]bool{}
	for _, h := range hosts {
		s.hosts[strings.ToLower(strings.Trim(h, "[]"))] = true
	}
}

// hostOK reports whether a request's Host header names a host served here.
// Ports do not matter against DNS rebinding: the name does.
func (s *Server) hostOK(host string) bool {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	if s.hosts == nil {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return s.hosts[strings.ToLower(strings.Trim(host, "[]"))]
}

// loopbackNames are the names a loopback listener answers to.
var loopbackNames = []string{"localhost", "127.0.0.1", "::1"}

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

// Unwrap lets http.ResponseController reach the connection (read deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

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
			s.log.Info("request", "method", methodLabel(r.Method), "path", r.URL.Path, "status", sw.code, "ms", float64(d.Microseconds())/1000)
		}()
		h(sw, r)
	})
}

// reader wraps a read handler with the token check when reads need it.
func (s *Server) reader(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opt.TokenForReads && s.opt.Token != "" && !tokenOK(r, s.opt.Token) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="reprint"`)
			writeError(w, http.StatusUnauthorized, "this server needs an Authorization: Bearer token for reads too")
			return
		}
		h(w, r)
	}
}

// writer wraps a write handler: a writer must be there, the token checked,
// and a cross-site request refused (see the file comment).
func (s *Server) writer(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.write == nil {
			writeError(w, http.StatusMethodNotAllowed, "this server is read-only")
			return
		}
		if s.opt.Token != "" && !tokenOK(r, s.opt.Token) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="reprint"`)
			writeError(w, http.StatusUnauthorized, "writes need an Authorization: Bearer token")
			return
		}
		if o := r.Header.Get("Origin"); o != "" {
			u, err := url.Parse(o)
			if err != nil || !strings.EqualFold(u.Host, r.Host) {
				writeError(w, http.StatusForbidden, "cross-origin write from %q refused", o)
				return
			}
		}
		if r.Method == http.MethodPost && !jsonType(r.Header.Get("Content-Type")) {
			writeError(w, http.StatusUnsupportedMediaType,
				"writes need Content-Type: application/json (or application/x-ndjson for JSONL); got %q", r.Header.Get("Content-Type"))
			return
		}
		h(w, r)
	}
}

// jsonType reports whether a Content-Type is JSON or JSON lines.
func jsonType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	switch strings.ToLower(strings.TrimSpace(mt)) {
	case "application/json", "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines":
		return true
	}
	return false
}

// querySlot takes a query slot, or answers 429 and returns false.
func (s *Server) querySlot(w http.ResponseWriter) (release func(), ok bool) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, true
	default:
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, "%d queries are running, the most this server runs at once; retry in a second", cap(s.slots))
		return nil, false
	}
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
// connections, requests in flight (writes included) finish. Without
// Options.Hosts, a loopback listener serves the loopback names only.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.opt.Hosts == nil {
		if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.IsLoopback() {
			s.setHosts(loopbackNames)
		}
	}
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.opt.ReadTimeout,
		WriteTimeout:      s.opt.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(netutil.LimitListener(ln, s.opt.MaxConns)) }()
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
