package pgkit

import (
	"context"
	"errors"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// SQLSTATE codes mapped to typed errors.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeCheckViolation      = "23514"
	codeNotNullViolation    = "23502"
	codeSerialization       = "40001"
	codeDeadlock            = "40P01"
	codeInvalidText         = "22P02"
	codeNumericOutOfRange   = "22003"
)

// MapError turns a pgx error into a typed error. resource names what a
// missing row is ("customer"). Constraint names become the field of a
// conflict when the constraint is registered in fields (constraint → field).
func MapError(err error, resource string, fields map[string]string) error {
	if err == nil {
		return nil
	}
	var typed *errs.Error
	if errors.As(err, &typed) {
		return err // already mapped (e.g. inside a transaction function)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &errs.Error{Kind: errs.NotFound, Resource: resource, Message: "Item not found.", Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &errs.Error{Kind: errs.Timeout, Message: "The database did not answer in time.", Err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		field := fields[pe.ConstraintName]
		switch pe.Code {
		case codeUniqueViolation:
			e := &errs.Error{Kind: errs.Conflict, Message: "Already exists.", Err: err}
			if field != "" {
				e.Message = "The " + field + " is already in use."
				e.Params = map[string]string{field: "Already in use."}
			}
			return e
		case codeForeignKeyViolation:
			e := &errs.Error{Kind: errs.Invalid, Message: "Refers to something that does not exist.", Err: err}
			if field != "" {
				e.Params = map[string]string{field: "Does not exist."}
				e.Message = "Invalid parameter(s): " + field
			}
			return e
		case codeCheckViolation, codeNotNullViolation, codeInvalidText, codeNumericOutOfRange:
			e := &errs.Error{Kind: errs.Invalid, Message: "Invalid value.", Err: err}
			if field != "" {
				e.Params = map[string]string{field: "Invalid value."}
				e.Message = "Invalid parameter(s): " + field
			}
			return e
		case codeSerialization, codeDeadlock:
			return &errs.Error{Kind: errs.Conflict, Message: "Concurrent update, retry.", Err: err}
		}
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return &errs.Error{Kind: errs.Unavailable, Message: "The database is unavailable.", Err: err}
	}
	return &errs.Error{Kind: errs.Internal, Err: err}
}
