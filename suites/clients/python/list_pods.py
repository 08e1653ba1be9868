"""The documentation's Python client snippet (access-cluster#python-client): load the kubeconfig, list
the pods of a namespace, print their names one per line.

    list_pods.py NAMESPACE              config.load_kube_config(), as kubectl (CL-PY)
    list_pods.py NAMESPACE --server URL a running `kubectl proxy`, no credentials (CL-PROXY)
    list_pods.py --in-cluster           config.load_incluster_config() inside a Pod (IC-09)
"""
import sys

from kubernetes import client, config

args = sys.argv[1:]
if "--in-cluster" in args:
    config.load_incluster_config()
    with open("/var/run/secrets/kubernetes.io/serviceaccount/namespace") as own:
        namespace = own.read().strip()
elif "--server" in args:
    configuration = client.Configuration()
    configuration.host = args[args.index("--server") + 1]
    client.Configuration.set_default(configuration)
    namespace = args[0]
else:
    config.load_kube_config()
    namespace = args[0]

v1 = client.CoreV1Api()
for pod in v1.list_namespaced_pod(namespace).items:
    print(pod.metadata.name)
