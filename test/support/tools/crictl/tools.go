//go:build tools

// Keeps the pinned tool in go.mod; build.sh builds it from here.
package tools

import _ "sigs.k8s.io/cri-tools/cmd/crictl"
