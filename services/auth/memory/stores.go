package memory

// Stores are the in-memory adapters of every auth aggregate, wired
// together (activity knows the keys).
type Stores struct {
	Keys         *Keys
	Accounts     *Accounts
	Settings     *Settings
	Activity     *Activity
	Installation *Installation
}

// NewStores returns empty stores.
func NewStores() Stores {
	k := NewKeys()
	return Stores{Keys: k, Accounts: NewAccounts(), Settings: NewSettings(), Activity: NewActivity(k), Installation: NewInstallation()}
}
