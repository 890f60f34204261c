// CoreDNS v1.15.0 with only the plugins the node harness's Corefile uses: cluster DNS answered from the API
// server (kubernetes), everything else refused (no forward: the suite sends no traffic beyond its own Pods).
// Upstream's own way to build a CoreDNS with a chosen set of plugins (coredns.io/2017/07/25/compile-time-enabling-or-disabling-plugins).
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

func init() {
	dnsserver.Directives = []string{"bind", "errors", "log", "health", "ready", "kubernetes"}
}

func main() {
	coremain.Run()
}
