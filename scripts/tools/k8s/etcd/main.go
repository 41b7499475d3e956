// Command etcd is upstream etcd's entry point, built from the go.etcd.io/etcd/server/v3
// module at the version Kubernetes pins, so the API server and its store always match.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
