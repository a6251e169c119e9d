module github.com/hostplane/hostplane/services/billing

go 1.26.0

require (
	github.com/go-kit/kit v0.13.0
	github.com/hostplane/hostplane/libs v0.0.0
	github.com/jackc/pgx/v5 v5.12.0
	github.com/prometheus/client_golang v1.25.0
	golang.org/x/crypto v0.58.0
)

replace github.com/hostplane/hostplane/libs => ../../libs
