// Package cx speaks the CLIENTXCMS application API dialect
// (/api/application/…), which follows Laravel conventions: one item as
// {"data":…}, lists as a LengthAwarePaginator, filter[field]=, sort=-field,
// include=, and Laravel error bodies ({"message"} or, for invalid input,
// {"message","errors":{field:[messages]}}). Every answer is JSON, or XML when
// the Accept header prefers it; the XML carries the same data.
package cx
