// Prometheus metrics on a registry of the server's own (not the global
// one, so several servers in one process, as in tests, do not collide):
// requests and their latencies by route, documents added and deleted, and
// the index's documents and size, read from the index at scrape time.
// Labels take known values only: a route's name, a standard method or
// "other", a status code; a client cannot add series.

package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/reprint/reprint/index"
)

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	added    prometheus.Counter
	deleted  prometheus.Counter
}

func newMetrics(ix index.Searcher) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "reprint_http_requests_total", Help: "HTTP requests by route, method and status code.",
	}, []string{"route", "method", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "reprint_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5},
	}, []string{"route"})
	m.added = prometheus.NewCounter(prometheus.CounterOpts{Name: "reprint_documents_added_total", Help: "Documents added or replaced through the API."})
	m.deleted = prometheus.NewCounter(prometheus.CounterOpts{Name: "reprint_documents_deleted_total", Help: "Documents deleted through the API."})
	stat := func(f func(index.Stats) float64) func() float64 {
		return func() float64 {
			s, err := ix.Stats(context.Background())
			if err != nil {
				return 0
			}
			return f(s)
		}
	}
	m.reg.MustRegister(m.requests, m.latency, m.added, m.deleted,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "reprint_index_documents", Help: "Documents in the index."},
			stat(func(s index.Stats) float64 { return float64(s.Documents) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "reprint_index_disk_bytes", Help: "Size of the index on disk."},
			stat(func(s index.Stats) float64 { return float64(s.DiskBytes) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "reprint_index_story_state_bytes", Help: "Size of the saved stories state (0 without stories, or before the first save)."},
			stat(func(s index.Stats) float64 { return float64(s.StoryState) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "reprint_index_story_pending_documents", Help: "Documents added since the stories state was saved: what the next load replays."},
			stat(func(s index.Stats) float64 { return float64(s.StoryPending) })),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

func (m *metrics) observe(route, method string, code int, d time.Duration) {
	if code == 0 {
		code = http.StatusOK
	}
	m.requests.WithLabelValues(route, methodLabel(method), strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// methodLabel is a request method as a label: a standard method, or "other".
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
