package transport

import (
	"encoding/json"
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/hostplane/hostplane/services/auth/client"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/settings"
)

// MountInternal mounts the routes other components call (never exposed by
// the gateway), for system callers only (signed with the internal secret,
// not on behalf of an API key):
//
//	POST     /internal/v1/keys/verify             credential verification (gateway)
//	POST     /internal/v1/keys/activity           key activity batches (gateway)
//	GET      /internal/v1/settings/gateway        {"enable_api"} (gateway, twice a second)
//	GET      /internal/v1/settings/registration   {"enable_registration"} (billing)
//	GET      /internal/v1/settings                every setting (CLI)
//	GET, PUT /internal/v1/settings/{key}          one setting (CLI)
func MountInternal(r *httpkit.Router, e Endpoints) {
	handle := func(method, path string, ep httpkit.EndpointFunc, dec httpkit.Decoder, enc httpkit.Encoder) {
		r.Handle(method, path, systemOnly(httpkit.Endpoint(ep, dec, enc, writeInternalError)))
	}
	handle(http.MethodPost, client.VerifyPath, e.Keys.Verify,
		func(r *http.Request) (any, error) {
			var b client.VerifyRequest
			if err := decode.Body(r, &b, decode.Options{DisallowUnknown: true}); err != nil {
				return nil, err
			}
			return keys.VerifyRequest{APIKey: b.APIKey, Secret: b.APISecret}, nil
		},
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			return writeJSON(w, identityOf(resp.(keys.Verified)))
		})
	handle(http.MethodPost, client.ActivityPath, e.Activity.Record,
		func(r *http.Request) (any, error) {
			var b client.ActivityBatch
			if err := decode.Body(r, &b, decode.Options{DisallowUnknown: true}); err != nil {
				return nil, err
			}
			calls := make([]activity.Call, len(b.Calls))
			for i, c := range b.Calls {
				calls[i] = activity.Call{KeyID: c.KeyID, Method: c.Method, Path: c.Path, Status: c.Status, At: c.At, IP: c.IP}
			}
			return activity.RecordRequest{Calls: calls}, nil
		},
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			return writeJSON(w, map[string]int{"recorded": resp.(activity.RecordResponse).Recorded})
		})
	boolSetting := func(key string) httpkit.Decoder {
		return func(*http.Request) (any, error) { return settings.BoolRequest{Key: key}, nil }
	}
	handle(http.MethodGet, client.GatewaySettingsPath, e.Settings.Bool, boolSetting(settings.EnableAPI),
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			return writeJSON(w, client.GatewaySettings{EnableAPI: resp.(bool)})
		})
	handle(http.MethodGet, client.RegistrationSettingsPath, e.Settings.Bool, boolSetting(settings.EnableRegistration),
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			return writeJSON(w, client.RegistrationSettings{EnableRegistration: resp.(bool)})
		})
	handle(http.MethodGet, client.SettingsPath, e.Settings.List,
		func(*http.Request) (any, error) { return settings.ListRequest{}, nil },
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			all := resp.([]settings.Setting)
			out := make([]client.Setting, len(all))
			for i, s := range all {
				out[i] = internalSetting(s)
			}
			return writeJSON(w, out)
		})
	one := func(w http.ResponseWriter, r *http.Request, resp any) error {
		return writeJSON(w, internalSetting(resp.(settings.Setting)))
	}
	handle(http.MethodGet, client.SettingsPath+"/{key}", e.Settings.Get, decodeSettingKey, one)
	handle(http.MethodPut, client.SettingsPath+"/{key}", e.Settings.Set,
		func(r *http.Request) (any, error) {
			var b client.SetSettingRequest
			if err := decode.Body(r, &b, decode.Options{DisallowUnknown: true}); err != nil {
				return nil, err
			}
			return settings.SetRequest{Key: r.PathValue("key"), Value: b.Value}, nil
		}, one)
}

// systemOnly refuses callers that are not internal components.
func systemOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := principal.From(r.Context()); p == nil || !p.System {
			writeInternalError(w, r, errs.New(errs.Forbidden, "Internal route: system callers only."))
			return
		}
		h.ServeHTTP(w, r)
	})
}

func writeInternalError(w http.ResponseWriter, _ *http.Request, err error) {
	upstream.WriteError(w, err)
}

func internalSetting(s settings.Setting) client.Setting {
	out := client.Setting{Key: s.Key, Value: s.Value, Type: string(s.Type), Description: s.Description,
		Secret: s.Secret, IsSet: s.IsSet, UpdatedAt: utc(s.UpdatedAt)}
	if out.Value == nil {
		out.Value = json.RawMessage("null")
	}
	out.Default = json.RawMessage("null")
	if s.Default != nil {
		if b, err := json.Marshal(s.Default); err == nil {
			out.Default = b
		}
	}
	return out
}

// identityOf is a verified key as the gateway needs it.
func identityOf(v keys.Verified) client.Identity {
	k := v.Key
	id := client.Identity{
		KeyID: k.ID, AccountID: k.AccountID, Name: k.Name, APIKey: k.APIKey,
		Permissions: k.Permissions, CustomerID: k.CustomerID,
		RateLimit: k.RateLimit.Count, RatePeriod: k.RateLimit.Period, AllowedIPs: k.AllowedIPs,
		ExpiresAt: utc(v.ValidUntil),
	}
	if len(id.AllowedIPs) == 0 {
		id.AllowedIPs = nil
	}
	return id
}

func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(v)
}
