//go:build tools

// The packages build.sh builds, so that go.sum covers what they need.
package tools

import (
	_ "go.universe.tf/metallb/controller"
	_ "go.universe.tf/metallb/speaker"
)
