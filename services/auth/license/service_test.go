package license_test

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/hostplane/hostplane/services/auth/license"
	"github.com/hostplane/hostplane/services/auth/memory"
)

func TestLicense(t *testing.T) {
	ctx := context.Background()
	store := memory.NewInstallation()
	issued := "ACME SAS"
	svc := license.NewService(store, license.Options{Version: "v1.2.3", IssuedTo: func(context.Context) (string, error) { return issued, nil }})
	l, err := svc.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if l.Edition != license.Edition || l.Version != "v1.2.3" || !uuid.MatchString(l.InstanceID) || l.IssuedTo != "ACME SAS" ||
		!slices.Contains(l.Features, "api:sb") {
		t.Fatalf("license: %+v", l)
	}
	// Another service instance on the same store: the same installation.
	other := license.NewService(store, license.Options{})
	l2, err := other.Get(ctx)
	if err != nil || l2.InstanceID != l.InstanceID || l2.Version == "" {
		t.Fatalf("second instance: %+v %v", l2, err)
	}
	issued = "Renamed"
	if l3, _ := svc.Get(ctx); l3.IssuedTo != "Renamed" || l3.InstanceID != l.InstanceID {
		t.Fatalf("issued_to follows its source: %+v", l3)
	}
}
