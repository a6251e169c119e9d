package pgkit

import (
	"os"
	"testing"

	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
)

// db is this package's own database, created by TestMain.
var db = pgtest.New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }
