package main

import (
	"fmt"
	"strings"
)

// popularTerms are the terms the list bench sends again and again: single
// words (a few thousand matches each), word pairs (a few hundred), code
// prefixes, title phrases, and a term matching nothing.
func popularTerms() []string {
	var terms []string
	for i := range 10 {
		terms = append(terms, nouns[i], cities[i])
	}
	return append(terms, "bakery-paris", "golden-studio", "happy", "Royal Bistro", "zzz-nothing", "sunny-garage-nice")
}

// freshKinds are the kinds of terms a client sends for the first time, each
// a list of distinct terms none of which is popular nor in another list:
// word pairs as in codes (tens to hundreds of matches), as in titles, parts
// of words (hundreds to thousands: "ake", "ris"), a city and the first
// digits of a site number, and digits of a site number (3 digits: about
// 300 matches; 4: about 30).
func freshKinds() [][]string {
	seen := map[string]bool{}
	for _, t := range popularTerms() {
		seen[strings.ToLower(t)] = true
	}
	add := func(list *[]string, t string) {
		if !seen[strings.ToLower(t)] {
			seen[strings.ToLower(t)] = true
			*list = append(*list, t)
		}
	}
	title := func(w string) string { return strings.ToUpper(w[:1]) + w[1:] }
	var codePairs, titlePairs, parts, cityNumbers, digits3, digits4 []string
	for _, pair := range [][2][]string{{adjectives, nouns}, {nouns, cities}, {adjectives, cities}} {
		for i, a := range pair[0] {
			for j := range pair[1] {
				b := pair[1][(i+j)%len(pair[1])] // spread each list's order over the words
				add(&codePairs, a+"-"+b)
				add(&titlePairs, title(a)+" "+title(b))
			}
		}
	}
	for n := 3; n <= 5; n++ {
		for _, words := range [][]string{nouns, cities, adjectives} {
			for _, w := range words {
				for i := 0; i+n <= len(w); i++ {
					add(&parts, w[i:i+n])
				}
			}
		}
	}
	for d := 1; d <= 99; d++ {
		for _, c := range cities {
			add(&cityNumbers, fmt.Sprintf("%s-%d", c, d))
		}
	}
	for k := range 900 {
		add(&digits3, fmt.Sprint(100+(k*331)%900))
	}
	for k := range 9000 {
		add(&digits4, fmt.Sprint(1000+(k*7919)%9000))
	}
	return [][]string{codePairs, titlePairs, parts, cityNumbers, digits3, digits4}
}

// freshTerms hands out the first-time terms of one of several runs: run r
// of runs takes every runs-th term of each kind from the r-th, so that no
// two runs send the same term and every run gets the same mix. It takes
// the kinds in turn, skipping a kind it has used up.
type freshTerms struct {
	kinds [][]string
	next  int
}

func newFreshTerms(all [][]string, r, runs int) *freshTerms {
	f := &freshTerms{}
	for _, list := range all {
		var mine []string
		for i := r; i < len(list); i += runs {
			mine = append(mine, list[i])
		}
		f.kinds = append(f.kinds, mine)
	}
	return f
}

// term returns a term of the run not returned before ("" once all are).
func (f *freshTerms) term() string {
	for range len(f.kinds) {
		k := f.next % len(f.kinds)
		f.next++
		if len(f.kinds[k]) > 0 {
			t := f.kinds[k][0]
			f.kinds[k] = f.kinds[k][1:]
			return t
		}
	}
	return ""
}
