package sb

// Kiubi's error codes.
const (
	CodeMissing         = 4001 // a required parameter is missing
	CodeInvalid         = 4002 // a parameter has an invalid value
	CodeRateLimited     = 4300 // too many requests
	CodeAuthNeeded      = 4307 // authentication needed
	CodeDenied          = 4308 // access denied
	CodeBadToken        = 4311 // the token is not valid
	CodeScopeMissing    = 4312 // the token lacks the scope
	CodeUnknownResource = 4401 // no such resource
	CodeUnexpected      = 5007 // unexpected error
	CodeUnavailable     = 5300 // service unavailable
)

// errs.Error.Reason values that pick a more precise sb code.
const (
	ReasonBadToken     = "bad_token"
	ReasonScopeMissing = "scope_missing"
)
