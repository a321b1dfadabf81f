// Command etcd is upstream's go.etcd.io/etcd/server/v3 main.go, built through this wrapper module because
// `go install go.etcd.io/etcd/server/v3` fails on the ../api replace lines in that module's go.mod.
// hack/build-k8s-bins.sh builds it.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
