// Package cluster decides which documents of a near-duplicate graph to keep
// and which to remove, without chaining.
//
// The input is a priority order of documents (best to keep first) and the
// verified edges (pairs at or above the threshold). Greedy takes documents
// in priority order and keeps one unless an already kept document is its
// near-duplicate; then it is removed under the most similar kept one. So a
// removed document is always within the threshold of the document kept for
// it: A~B, B~C, A≁C keeps A and C and removes only B. Components gives the
// transitive clusters (connected components) for users who want those.
package cluster
