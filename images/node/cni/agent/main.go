// kac-cni-agent: the node image's default CNI agent (see ../default-cni.yaml), one per node on the
// node's network. It writes a bridge CNI config for its node's spec.podCIDR, which is what turns the
// node Ready, and routes every other node's podCIDR via that node's InternalIP (the nodes share one
// Docker network). IPv4 only.
//
// `kac-cni-agent write-config CIDR` writes that config and exits. The node image carries the binary
// too, so that the harness can write each node's config before its kubelet starts: the node is then
// Ready when it registers instead of seconds later, once its agent Pod has been scheduled and started.
//
// A static binary in an image of its own and nothing else: a node's containerd unpacks an image when a
// Pod first uses it, and the Debian image with kubectl that this replaces (150 MB) took 9-12 s to
// unpack on every node of a starting cluster, most of the time from join to Ready.
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/vishvananda/netlink"
)

const (
	confDir     = "/etc/cni/net.d"
	confName    = "10-kac.conflist"
	accountDir  = "/var/run/secrets/kubernetes.io/serviceaccount"
	untilConfig = 250 * time.Millisecond // until this node's config is written: the node waits on it
	afterConfig = time.Second            // then only other nodes' routes change: new nodes get theirs within a second
)

type nodeList struct {
	Items []struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Spec struct {
			PodCIDR string `json:"podCIDR"`
		} `json:"spec"`
		Status struct {
			Addresses []struct {
				Type    string `json:"type"`
				Address string `json:"address"`
			} `json:"addresses"`
		} `json:"status"`
	} `json:"items"`
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "write-config" {
		if _, _, err := net.ParseCIDR(os.Args[2]); err != nil {
			log.Fatal(err)
		}
		if err := writeConfig(os.Args[2]); err != nil {
			log.Fatal(err)
		}
		return
	}
	self := os.Getenv("NODE_NAME")
	server := apiServer()
	client, err := httpClient()
	if err != nil {
		log.Fatal(err)
	}
	for {
		if err := sync(client, server, self); err != nil {
			log.Print(err)
		}
		if _, err := os.Stat(filepath.Join(confDir, confName)); err == nil {
			time.Sleep(afterConfig)
		} else {
			time.Sleep(untilConfig)
		}
	}
}

// apiServer is the API server to ask. The harness fills in CONTROL_PLANE_ENDPOINT, as kind does for
// kindnetd: a new node has no kube-proxy rules for the kubernetes Service yet.
func apiServer() string {
	if endpoint := os.Getenv("CONTROL_PLANE_ENDPOINT"); endpoint != "" {
		return "https://" + endpoint
	}
	return "https://" + net.JoinHostPort(os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT"))
}

func httpClient() (*http.Client, error) {
	ca, err := os.ReadFile(filepath.Join(accountDir, "ca.crt"))
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("no certificate in %s/ca.crt", accountDir)
	}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, nil
}

func sync(client *http.Client, server, self string) error {
	// Read at every request: the kubelet rotates the projected token.
	token, err := os.ReadFile(filepath.Join(accountDir, "token"))
	if err != nil {
		return err
	}
	request, err := http.NewRequest(http.MethodGet, server+"/api/v1/nodes", nil)
	if err != nil {
		return err
	}
	request.Header.Set("Authorization", "Bearer "+string(bytes.TrimSpace(token)))
	response, err := client.Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /api/v1/nodes: %s", response.Status)
	}
	var nodes nodeList
	if err := json.NewDecoder(response.Body).Decode(&nodes); err != nil {
		return err
	}
	for _, node := range nodes.Items {
		cidr := node.Spec.PodCIDR
		if cidr == "" {
			continue
		}
		if node.Metadata.Name == self {
			if err := writeConfig(cidr); err != nil {
				return err
			}
			continue
		}
		for _, address := range node.Status.Addresses {
			if address.Type == "InternalIP" {
				if err := route(cidr, address.Address); err != nil {
					log.Printf("route %s via %s: %v", cidr, address.Address, err)
				}
			}
		}
	}
	return nil
}

// writeConfig writes the bridge config aside and renames it into place: containerd loads only
// *.conflist, *.conf and *.json, so it never reads a half-written file.
func writeConfig(cidr string) error {
	conf := fmt.Sprintf(`{"cniVersion": "1.0.0", "name": "kac", "plugins": [
  {"type": "bridge", "bridge": "kac0", "isDefaultGateway": true, "ipMasq": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": %q}]]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
`, cidr)
	path := filepath.Join(confDir, confName)
	if current, err := os.ReadFile(path); err == nil && string(current) == conf {
		return nil
	}
	aside := filepath.Join(confDir, ".10-kac.tmp")
	if err := os.WriteFile(aside, []byte(conf), 0o644); err != nil {
		return err
	}
	if err := os.Rename(aside, path); err != nil {
		return err
	}
	log.Printf("wrote %s for %s", path, cidr)
	return nil
}

func route(cidr, via string) error {
	_, dst, err := net.ParseCIDR(cidr)
	if err != nil {
		return err
	}
	gateway := net.ParseIP(via)
	if gateway == nil || gateway.To4() == nil {
		return nil // IPv4 only
	}
	return netlink.RouteReplace(&netlink.Route{Dst: dst, Gw: gateway})
}
