// Package sb speaks the Kiubi-style site-builder API v1 dialect
// (/v1/….json). Every answer is an envelope
// {"meta":{"success","status_code","rate_remaining",…},"error":…,"data":…}
// whose meta.success is always present (Kiubi's client decides on it alone);
// lists add items_count, items_per_page, current_page (from 0) and links
// that are paths or false. Errors carry Kiubi's numeric codes. Kiubi's
// client sends every request with parameters as a form POST naming the real
// method in "method=", which Untunnel undoes.
package sb
