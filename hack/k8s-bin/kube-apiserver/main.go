// Command kube-apiserver is upstream's cmd/kube-apiserver/apiserver.go, built through this wrapper module so that
// the staging modules resolve to their published tags (see go.mod). hack/build-k8s-bins.sh builds it; the
// version stamped into the binary comes from -ldflags set there from the k8s.io/kubernetes version in go.mod.
package main

import (
	"os"
	_ "time/tzdata" // for timeZone support in CronJob

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // for JSON log format registration
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // load all the prometheus client-go plugins
	_ "k8s.io/component-base/metrics/prometheus/version"  // for version metric registration
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	command := app.NewAPIServerCommand()
	code := cli.Run(command)
	os.Exit(code)
}
