package httpkit

import (
	"net/http"
	"strconv"

	"github.com/hostplane/hostplane/libs/errs"
)

// PathID parses the positive integer path parameter name. Anything else is
// a not-found of resource (an id that cannot exist names no item).
func PathID(r *http.Request, name, resource string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundResource(resource, "")
	}
	return id, nil
}
