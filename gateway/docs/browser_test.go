package docs

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/hostplane/hostplane/libs/testenv"
)

// browserDep is the HOSTPLANE_TEST_REQUIRE name that turns a missing
// browser from a skip into a failure.
const browserDep = "browser"

// chromiumPath is Debian's Chromium.
const chromiumPath = "/usr/bin/chromium"

// TestSwaggerUIRendersEveryRoute opens the documentation in headless
// Chromium, as a person would, and checks that Swagger UI renders one
// operation per route, under the page's Content-Security-Policy, without
// loading anything from another origin.
func TestSwaggerUIRendersEveryRoute(t *testing.T) {
	exe := needChromium(t)
	tbl := defaultTable(t)
	h, err := New(tbl, Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	// Ends the browser and waits for it, before t.TempDir is removed.
	defer cancelAlloc()
	bctx, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()

	var (
		mu       sync.Mutex
		problems []string // console errors, CSP violations, exceptions
		foreign  []string // requests to another origin
	)
	err = chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				problems = append(problems, fmt.Sprintf("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text+" "+describe(ev.ExceptionDetails.Exception))
		case *network.EventRequestWillBeSent:
			u := ev.Request.URL
			if !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "data:") {
				foreign = append(foreign, u)
			}
		}
	})
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	t.Logf("Chromium started in %v", time.Since(start).Round(time.Millisecond))

	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+Prefix)); err != nil {
		t.Fatalf("open %s: %v", Prefix, err)
	}
	// The page lists one line per tag (docExpansion "none"). Wait until
	// their number has held still for half a second, then open the tags one
	// at a time, as a reader would, and collect the operations each shows.
	tags, err := chromedp.Run(bctx, chromedp.PollFunction[int](`() => {
		const n = document.querySelectorAll(".opblock-tag").length;
		const w = window.__hostplaneWait = window.__hostplaneWait || {n: -1, since: 0};
		const now = Date.now();
		if (n !== w.n) { w.n = n; w.since = now; return 0; }
		return n > 0 && now - w.since >= 500 ? n : 0;
	}`, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		mu.Lock()
		t.Logf("browser problems: %q", problems)
		mu.Unlock()
		t.Fatalf("Swagger UI rendered no tag: %v", err)
	}
	t.Logf("Swagger UI rendered %d tags %v after the start", tags, time.Since(start).Round(time.Millisecond))
	wantTags := map[string]int{}
	for _, r := range tbl.Routes() {
		wantTags[r.Tag]++
	}
	if tags != len(wantTags) {
		t.Errorf("Swagger UI rendered %d tags, the table has %d", tags, len(wantTags))
	}

	var paths []string
	for i := 0; i < tags; i++ {
		// Open tag i, wait for its operations to hold still, close it again.
		got, err := chromedp.Run(bctx, chromedp.PollFunction[[]string](fmt.Sprintf(`() => {
			const tag = document.querySelectorAll(".opblock-tag")[%d];
			const section = tag.closest(".opblock-tag-section");
			if (!section.classList.contains("is-open")) { tag.click(); window.__hostplaneOps = {n: -1, since: 0}; return null; }
			const ops = Array.from(section.querySelectorAll(".opblock .opblock-summary-path")).map(e => e.getAttribute("data-path"));
			const w = window.__hostplaneOps, now = Date.now();
			if (ops.length !== w.n) { w.n = ops.length; w.since = now; return null; }
			if (ops.length === 0 || now - w.since < 300) { return null; }
			tag.click();
			return ops;
		}`, i), chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			t.Fatalf("tag %d shows no operation: %v", i, err)
		}
		paths = append(paths, got...)
	}
	t.Logf("Swagger UI rendered %d operations %v after the start", len(paths), time.Since(start).Round(time.Millisecond))
	if want := len(tbl.Routes()); len(paths) != want {
		t.Errorf("Swagger UI rendered %d operations, the table has %d routes", len(paths), want)
	}
	if !contains(paths, "/wp-json/wu/v2/customers") {
		t.Errorf("no operation on /wp-json/wu/v2/customers among %q", paths)
	}
	specErrors, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(".errors-wrapper .error-wrapper").length`))
	if err != nil {
		t.Fatal(err)
	}
	if specErrors != 0 {
		t.Errorf("Swagger UI shows %d errors about the document", specErrors)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
	for _, u := range foreign {
		t.Errorf("the page requested another origin: %s", u)
	}
}

func describe(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	return o.Description
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// needChromium returns Debian's Chromium, installing it with apt-get when
// it is missing and the test runs as root; otherwise it skips the test, or
// fails it when HOSTPLANE_TEST_REQUIRE names "browser".
func needChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	start := time.Now()
	if err := installChromium(t); err != nil {
		testenv.Unavailable(t, browserDep, err)
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		testenv.Unavailable(t, browserDep, fmt.Errorf("installed, but: %w", err))
	}
	t.Logf("installed Chromium in %v", time.Since(start).Round(time.Second))
	return chromiumPath
}

func installChromium(t *testing.T) error {
	if os.Geteuid() != 0 {
		return errors.New(chromiumPath + " is missing and the test is not root to install it")
	}
	aptGet, err := exec.LookPath("apt-get")
	if err != nil {
		return errors.New(chromiumPath + " is missing and there is no apt-get")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	apt := func(args ...string) error {
		cmd := exec.CommandContext(ctx, aptGet, append([]string{"-o", "DPkg::Lock::Timeout=120"}, args...)...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("apt-get %s: %w\n%s", strings.Join(args, " "), err, tail(out))
		}
		return nil
	}
	t.Logf("%s is missing: installing Debian's chromium", chromiumPath)
	if err := apt("install", "-y", "chromium"); err == nil {
		return nil
	}
	if err := apt("update"); err != nil {
		return err
	}
	return apt("install", "-y", "chromium")
}

// tail is the end of a command's output, enough to tell why it failed.
func tail(out []byte) string {
	const max = 2000
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return string(out)
}
