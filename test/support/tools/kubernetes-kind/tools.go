//go:build tools

// Keeps the pinned tool in go.mod; build.sh builds it from here.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
