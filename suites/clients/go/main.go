// list-pods is the documentation's Go client snippet (access-cluster#go-client): build a config, make a
// clientset, list the pods of a namespace, print their names one per line.
//
//	list-pods -kubeconfig FILE -namespace NS   the kubeconfig, as kubectl uses it (CL-GO)
//	list-pods -server URL -namespace NS        a running `kubectl proxy`, no credentials (CL-PROXY)
//	list-pods -in-cluster                      rest.InClusterConfig() inside a Pod (IC-09)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	server := flag.String("server", "", "API server URL (e.g. a kubectl proxy)")
	inCluster := flag.Bool("in-cluster", false, "use the Pod's ServiceAccount")
	namespace := flag.String("namespace", "", "namespace (in-cluster: the Pod's own)")
	flag.Parse()

	var config *rest.Config
	var err error
	if *inCluster {
		config, err = rest.InClusterConfig()
		if *namespace == "" {
			own, _ := os.ReadFile("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
			*namespace = string(own)
		}
	} else {
		config, err = clientcmd.BuildConfigFromFlags(*server, *kubeconfig)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(1)
	}
	clientset, err := kubernetes.NewForConfig(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "clientset:", err)
		os.Exit(1)
	}
	pods, err := clientset.CoreV1().Pods(*namespace).List(context.TODO(), metav1.ListOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "list pods:", err)
		os.Exit(1)
	}
	for _, pod := range pods.Items {
		fmt.Println(pod.Name)
	}
}
