package billing

// FirstNames and LastNames are the names the seeded customers get (seed),
// and that searches look for (search): last names contain "smith" twice
// in 100.
func FirstNames() []string {
	return []string{"james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william", "elizabeth",
		"david", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen", "marie", "jean",
		"pierre", "louise", "lucas", "emma", "hugo", "lea", "louis", "chloe"}
}

// LastNames are 100 last names (some twice).
func LastNames() []string {
	base := []string{"smith", "smithson", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez",
		"martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
		"lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young",
		"allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams", "nelson", "baker", "hall",
		"rivera", "campbell", "mitchell", "carter", "roberts", "bernard", "dubois", "durand", "lefebvre", "leroy", "moreau",
		"simon", "laurent", "michel", "garnier", "faure", "rousseau", "blanc", "guerin", "muller", "henry", "roussel",
		"nicolas", "perrin", "morin", "mathieu", "clement", "gauthier", "dumont", "lopes", "fontaine", "chevalier", "robin",
		"masson", "sanchez", "boyer", "denis", "lemaire", "duval", "joly", "gautier", "roger", "roche", "roy", "noel",
		"meyer", "lucas", "meunier", "jean", "perez", "marchand", "dufour", "blanchard", "marie"}
	return base[:100]
}
