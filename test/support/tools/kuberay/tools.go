//go:build tools

// Keeps the pinned tool in go.mod; build.sh builds it from here.
package tools

import _ "github.com/ray-project/kuberay/ray-operator"
