// Command daprd is Dapr's sidecar, built from the pinned upstream release for local runs and tests.
// It runs upstream's own entry point; the only addition is the sqlite name resolver, which upstream
// registers only under the allcomponents tag, while this build uses stablecomponents.
package main

import (
	"github.com/dapr/components-contrib/nameresolution/sqlite"
	"github.com/dapr/dapr/cmd/daprd/app"
	nameresolution "github.com/dapr/dapr/pkg/components/nameresolution"
)

func main() {
	// Self-hosted service invocation without mDNS multicast: the sidecars share one sqlite file.
	nameresolution.DefaultRegistry.RegisterComponent(sqlite.NewResolver, "sqlite")
	app.Run()
}
