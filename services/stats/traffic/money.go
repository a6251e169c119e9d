package traffic

import "github.com/hostplane/hostplane/libs/money"

// Digits are the decimals of a currency (2 when unknown).
func Digits(currency string) int {
	if c, ok := money.Lookup(currency); ok {
		return c.Digits
	}
	return 2
}

// Decimal writes minor units of currency as decimal text ("29.90").
func Decimal(minor int64, currency string) string { return money.Format(minor, Digits(currency)) }

// formatMoney is an amount with its currency: "29.90 EUR".
func formatMoney(minor int64, currency string) string {
	return Decimal(minor, currency) + " " + currency
}

// Label is an amount with its currency, as sb labels show it.
func Label(minor int64, currency string) string { return formatMoney(minor, currency) }
