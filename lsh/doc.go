// Package lsh turns band keys into candidate pairs: two documents are
// candidates when they share a key in any band.
//
//	var ix lsh.Index
//	ix.Add(0, keys0)
//	ix.Add(1, keys1)
//	pairs := ix.Candidates(workers) // packed, sorted, unique
package lsh
