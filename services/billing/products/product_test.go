package products

import (
	"errors"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestMonthlyAndCycles(t *testing.T) {
	for _, tt := range []struct {
		amount    int64
		n         int
		unit      string
		recurring bool
		monthly   int64
		cycle     string
	}{
		{2999, 1, Month, true, 2999, CycleMonthly},
		{9000, 3, Month, true, 3000, CycleQuarterly},
		{12000, 1, Year, true, 1000, CycleAnnually},
		{24000, 2, Year, true, 1000, CycleBiennially},
		{100, 1, Week, true, 433, ""},
		{10, 1, Day, true, 304, ""},
		{5000, 1, Month, false, 5000, CycleOnetime},
	} {
		if got := Monthly(tt.amount, tt.n, tt.unit, tt.recurring); got != tt.monthly {
			t.Errorf("Monthly(%d/%d %s) = %d, want %d", tt.amount, tt.n, tt.unit, got, tt.monthly)
		}
		if got := CycleOf(tt.recurring, tt.n, tt.unit); got != tt.cycle {
			t.Errorf("CycleOf(%d %s) = %q, want %q", tt.n, tt.unit, got, tt.cycle)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{"Basic Plan": "basic-plan", "  VPS — S!! ": "vps-s", "Ünïcode 2": "n-code-2", "": ""} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	s := func(v string) *string { return &v }
	if err := Check(Input{Name: s("Basic"), Amount: s("29.99")}); err != nil {
		t.Fatal(err)
	}
	err := Check(Input{Name: s("Basic"), Amount: s("29.999"), Currency: s("KWD"), SetupFee: s("-1")})
	if !errors.Is(err, errs.Invalid) || errs.From(err).Params["setup_fee"] == "" || errs.From(err).Params["amount"] != "" {
		t.Fatalf("KWD has three decimals, setup fee negative: %v", err)
	}
	// A currency change keeps the value when it fits.
	p := newProduct()
	p.Amount = 2900
	if err := (Input{Currency: s("JPY"), Name: s("x")}).apply(&p); err != nil || p.Amount != 29 {
		t.Fatalf("to JPY: %d %v", p.Amount, err)
	}
	p.Currency, p.Amount = "USD", 2999
	if err := (Input{Currency: s("JPY")}).apply(&p); errs.From(err).Params["amount"] == "" {
		t.Fatalf("29.99 USD in JPY: %v", err)
	}
}
