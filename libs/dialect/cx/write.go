package cx

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
)

// item is the envelope of one resource.
type item struct {
	Data any `json:"data"`
}

// WriteItem writes one resource as {"data":v}.
func WriteItem(w http.ResponseWriter, r *http.Request, status int, v any) {
	WriteJSON(w, r, status, item{Data: v})
}

// WriteJSON writes v as it is: JSON, or XML when r prefers it.
func WriteJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	w.Header().Add("Vary", "Accept")
	if !WantsXML(r) {
		httpio.WriteJSON(w, status, v)
		return
	}
	body, err := MarshalXML(v)
	if err != nil {
		body, _ = MarshalXML(ErrorBody{Message: serverError})
		status = http.StatusInternalServerError
	}
	httpio.Write(w, status, ContentTypeXML, body)
}
