package token

import (
	"math/rand/v2"
	"strings"
)

// Deterministic sample text for the benchmarks and tests: words drawn with
// a fixed seed from small vocabularies of each script, with the
// punctuation, numbers and capitals such text has.

var (
	vocabASCII = strings.Fields("the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there had been one all we their its would has more if will who said new after also two people first year government state president minister report week city police court")
	vocabLatin = strings.Fields("le la les des une été être très français déjà où élève garçon forêt naïve château cœur über straße größe müssen schön für während königin mädchen äpfel öffentlich grün")
	vocabCyr   = strings.Fields("и в не на я что он с как это по но они к у же вы за бы от из о так мы его для она уже сказал правительство президент министр города неделе")
	vocabArab  = strings.Fields("في من على أن إلى عن مع هذا التي الذي كان قال الرئيس الحكومة وزير المدينة الشرطة المحكمة العام الأسبوع الناس بعد أيضا")
	vocabCJK   = []rune("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现")
)

func sampleWords(seed uint64, n int, vocab []string, space string) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	for b.Len() < n {
		w := vocab[r.IntN(len(vocab))]
		switch r.IntN(20) {
		case 0:
			w = strings.ToUpper(w[:1]) + w[1:]
		case 1:
			w += ","
		case 2:
			w += "."
		case 3:
			w = "3.14"
		case 4:
			w = "1,000"
		}
		b.WriteString(w)
		if r.IntN(12) == 0 {
			b.WriteString("\n")
		} else {
			b.WriteString(space)
		}
	}
	return b.String()
}

func sampleASCII(n int) string    { return sampleWords(1, n, vocabASCII, " ") }
func sampleLatin(n int) string    { return sampleWords(2, n, vocabLatin, " ") }
func sampleCyrillic(n int) string { return sampleWords(3, n, vocabCyr, " ") }
func sampleArabic(n int) string   { return sampleWords(4, n, vocabArab, " ") }

// sampleCJK is Chinese-like text: ideographs without spaces, a full-width
// comma or full stop every so often.
func sampleCJK(n int) string {
	r := rand.New(rand.NewPCG(5, 1))
	var b strings.Builder
	for b.Len() < n {
		b.WriteRune(vocabCJK[r.IntN(len(vocabCJK))])
		switch r.IntN(15) {
		case 0:
			b.WriteString("，")
		case 1:
			b.WriteString("。")
		}
	}
	return b.String()
}
