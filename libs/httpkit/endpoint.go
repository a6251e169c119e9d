package httpkit

import (
	"context"
	"net/http"
)

// Decoder turns a request into an endpoint request.
type Decoder func(r *http.Request) (any, error)

// Encoder writes an endpoint response.
type Encoder func(w http.ResponseWriter, r *http.Request, resp any) error

// ErrorWriter renders an error in a dialect's shape.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, err error)

// EndpointFunc is go-kit's endpoint.Endpoint (a value of that type is
// accepted as is); naming it here keeps go-kit out of libs.
type EndpointFunc = func(ctx context.Context, request any) (response any, err error)

// Endpoint serves a go-kit endpoint: decode, call, encode; any error is
// rendered by onErr. Unlike go-kit's own HTTP server, every step sees the
// request, which dialects need (content negotiation, pagination links).
func Endpoint(e EndpointFunc, dec Decoder, enc Encoder, onErr ErrorWriter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := dec(r)
		if err != nil {
			onErr(w, r, err)
			return
		}
		resp, err := e(r.Context(), req)
		if err != nil {
			onErr(w, r, err)
			return
		}
		if err := enc(w, r, resp); err != nil {
			onErr(w, r, err)
		}
	})
}
