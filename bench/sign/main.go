// Command sign prints the three headers with which the gateway hands a
// principal to a service (X-Hostplane-Principal, -Timestamp, -Signature),
// signed with HOSTPLANE_INTERNAL_SECRET exactly as the gateway signs them,
// so that the benchmark can call a service directly or through nginx. The
// signature is valid for 60 seconds: print it right before each run.
//
//	sign -path /wp-json/wu/v2/customers/1                  # Name: value lines (wrk -H)
//	sign -path /wp-json/wu/v2/customers/1 -format nginx    # proxy_set_header lines
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/hostplane/hostplane/libs/principal"
)

// benchPrincipal is the caller the benchmark presents: a key with every
// permission, restricted to no customer.
func benchPrincipal(kid int64) *principal.Principal {
	return &principal.Principal{KeyID: kid, KeyName: "bench", Permissions: []string{"*"}, RequestID: "bench"}
}

// headers returns the signed headers for method and path, in a fixed order.
func headers(secret, method, path string, p *principal.Principal) ([][2]string, error) {
	if len(secret) < 16 {
		return nil, errors.New("the internal secret must have at least 16 characters (HOSTPLANE_INTERNAL_SECRET)")
	}
	h := http.Header{}
	if err := principal.NewSigner(secret).Apply(h, method, path, p); err != nil {
		return nil, err
	}
	var out [][2]string
	for _, k := range []string{principal.HeaderPrincipal, principal.HeaderTimestamp, principal.HeaderSignature} {
		out = append(out, [2]string{k, h.Get(k)})
	}
	return out, nil
}

// render writes the headers in format "header" (Name: value) or "nginx"
// (proxy_set_header Name "value";).
func render(w io.Writer, hs [][2]string, format string) error {
	for _, kv := range hs {
		switch format {
		case "header":
			fmt.Fprintf(w, "%s: %s\n", kv[0], kv[1])
		case "nginx":
			fmt.Fprintf(w, "proxy_set_header %s \"%s\";\n", kv[0], kv[1])
		default:
			return fmt.Errorf("unknown format %q (header or nginx)", format)
		}
	}
	return nil
}

func main() {
	fs := flag.NewFlagSet("sign", flag.ExitOnError)
	method := fs.String("method", http.MethodGet, "request method")
	path := fs.String("path", "", "request path, e.g. /wp-json/wu/v2/customers/1")
	format := fs.String("format", "header", "header or nginx")
	kid := fs.Int64("kid", 1, "key id in the principal")
	_ = fs.Parse(os.Args[1:])
	if !strings.HasPrefix(*path, "/") {
		fmt.Fprintln(os.Stderr, "sign: -path must be an absolute path")
		os.Exit(2)
	}
	hs, err := headers(os.Getenv("HOSTPLANE_INTERNAL_SECRET"), *method, *path, benchPrincipal(*kid))
	if err == nil {
		err = render(os.Stdout, hs, *format)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sign:", err)
		os.Exit(1)
	}
}
