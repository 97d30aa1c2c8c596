// Scoring a clustering against known labels: the adjusted Rand index
// (Hubert & Arabie 1985) and pairwise F1, the figures ECB+'s scorer and the
// tests use. Both count document pairs through the contingency table, so
// they cost O(n) with a map, not O(n²).

package stories

// ARI returns the adjusted Rand index of the clustering pred against the
// labels truth (one label per document, same order): 1 for identical
// partitions, about 0 for a random one. It is 1 when both put every
// document alone or all together.
func ARI(truth, pred []string) float64 {
	tp, pp, gp, total := pairCounts(truth, pred)
	expected := 0.0
	if total > 0 {
		expected = pp * gp / total
	}
	maxIdx := (pp + gp) / 2
	if maxIdx == expected {
		return 1
	}
	return (tp - expected) / (maxIdx - expected)
}

// PairF1 returns the F1 of the document pairs pred puts together against
// those truth puts together.
func PairF1(truth, pred []string) float64 {
	tp, pp, gp, _ := pairCounts(truth, pred)
	p, r := 1.0, 1.0
	if pp > 0 {
		p = tp / pp
	}
	if gp > 0 {
		r = tp / gp
	}
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// pairCounts returns the pairs together in both, in pred, in truth, and
// all pairs.
func pairCounts(truth, pred []string) (tp, pp, gp, total float64) {
	if len(truth) != len(pred) {
		panic("stories: ARI of label lists of different lengths")
	}
	type key struct{ t, p string }
	cont := map[key]int{}
	ps, gs := map[string]int{}, map[string]int{}
	for i := range truth {
		cont[key{truth[i], pred[i]}]++
		ps[pred[i]]++
		gs[truth[i]]++
	}
	c2 := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	for _, v := range cont {
		tp += c2(v)
	}
	for _, v := range ps {
		pp += c2(v)
	}
	for _, v := range gs {
		gp += c2(v)
	}
	return tp, pp, gp, c2(len(truth))
}
