// The documentation's JavaScript client snippet: load the default kubeconfig (KUBECONFIG), list the pods
// of a namespace with CoreV1Api, print their names one per line (CL-JS).
//   node list-pods.mjs NAMESPACE            kc.loadFromDefault()
//   node list-pods.mjs --in-cluster         kc.loadFromCluster() inside a Pod (IC-09)
import * as k8s from "@kubernetes/client-node";
import { readFileSync } from "node:fs";

const inCluster = process.argv[2] === "--in-cluster";
const kc = new k8s.KubeConfig();
if (inCluster) kc.loadFromCluster();
else kc.loadFromDefault();
const namespace = inCluster ? readFileSync("/var/run/secrets/kubernetes.io/serviceaccount/namespace", "utf8").trim() : process.argv[2];

const k8sApi = kc.makeApiClient(k8s.CoreV1Api);
const pods = await k8sApi.listNamespacedPod({ namespace });
for (const pod of pods.items) console.log(pod.metadata.name);
