// Package billing holds the billing service's benchmark tools, run by
// bench/suites/billing.sh: seed fills a billing database with customers
// (1,000,000 by default) straight in SQL, and register drives POST
// /wp-json/wu/v2/register through the gateway with unique bodies, closed
// or open loop. List latencies are measured with bench/load.
package billing
