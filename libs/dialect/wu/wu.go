// Package wu speaks the Ultimate Multisite v2 REST dialect
// (/wp-json/wu/v2/…): bare JSON objects, bare arrays for lists with the
// X-WP-Total and X-WP-TotalPages headers, WordPress list parameters
// (per_page, page, search, orderby, order, status, date_created), dates as
// "YYYY-MM-DD HH:MM:SS" in UTC, and WordPress REST error bodies
// {"code","message","data":{"status","params"}}.
package wu
