// Command daprd is Dapr's sidecar, built from the pinned upstream release for local runs and tests.
// It runs upstream's own entry point. This build uses the stablecomponents tag; two components that upstream
// registers only under allcomponents (as its release images are built) are registered here:
//   - the sqlite name resolver: self-hosted service invocation without mDNS multicast;
//   - the lock.redis lock store: the Dapr adapters lock the keys of a state.redis write (see
//     packages/dapr-runtime/src/locked-writes.ts), because state.redis does not roll back a failed transaction.
package main

import (
	redislock "github.com/dapr/components-contrib/lock/redis"
	"github.com/dapr/components-contrib/nameresolution/sqlite"
	"github.com/dapr/dapr/cmd/daprd/app"
	lockloader "github.com/dapr/dapr/pkg/components/lock"
	nameresolution "github.com/dapr/dapr/pkg/components/nameresolution"
)

func main() {
	nameresolution.DefaultRegistry.RegisterComponent(sqlite.NewResolver, "sqlite")
	lockloader.DefaultRegistry.RegisterComponent(redislock.NewStandaloneRedisLock, "redis")
	app.Run()
}
