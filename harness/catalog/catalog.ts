/**
 * The access-path catalog: every check the report must cover, with its stable ID, the behaviour it
 * verifies and the documentation section it cites. Transcribed from the project's catalog
 * (ACCESS-PATHS.md); the IDs are a public contract, so they never change meaning.
 */
export interface CatalogEntry {
  id: string;
  section: SectionName;
  title: string;
  /** Key of a documentation page in DOC_PAGES. */
  page: DocPage;
  /** Anchor within the page; empty for the page as a whole. */
  anchor: string;
}

export type SectionName = "kubeconfig" | "kubectl-proxy" | "token" | "client-libraries" | "in-cluster" | "service-proxy" | "browser" | "proxy-contract";
export type DocPage = keyof typeof DOC_PAGES;

/** The Kubernetes documentation pages the catalog derives from (the Japanese pages carry the same anchors). */
export const DOC_PAGES = {
  "access-cluster": "tasks/access-application-cluster/access-cluster/",
  "access-cluster-services": "tasks/access-application-cluster/access-cluster-services/",
  "access-api-from-pod": "tasks/run-application/access-api-from-pod/",
  "access-cluster-api": "tasks/administer-cluster/access-cluster-api/",
} as const;

export function docUrl(entry: Pick<CatalogEntry, "page" | "anchor">): string {
  return `https://kubernetes.io/docs/${DOC_PAGES[entry.page]}${entry.anchor ? `#${entry.anchor}` : ""}`;
}

export const CATALOG: readonly CatalogEntry[] = [
  { id: "KC-01", section: "kubeconfig", title: "`kubectl config view` shows the cluster location and credentials; secret data is shown redacted.", page: "access-cluster", anchor: "accessing-for-the-first-time-with-kubectl" },
  { id: "KC-02", section: "kubeconfig", title: "The cluster list (`-o jsonpath` over `.clusters[*]`), the by-name lookup `{.clusters[?(@.name==\"NAME\")].cluster.server}` and `--minify` agree on the server URL.", page: "access-cluster", anchor: "accessing-for-the-first-time-with-kubectl" },
  { id: "KC-03", section: "kubeconfig", title: "The server certificate chains to the kubeconfig CA and covers the server host (IP or DNS SAN).", page: "access-cluster", anchor: "accessing-for-the-first-time-with-kubectl" },
  { id: "KC-04", section: "kubeconfig", title: "`kubectl version` reports the server version.", page: "access-cluster", anchor: "accessing-for-the-first-time-with-kubectl" },
  { id: "KC-05", section: "kubeconfig", title: "With no `--kubeconfig` and no `KUBECONFIG`, kubectl uses `~/.kube/config` (the page: credentials \"installed in `~/.kube`\"): a HOME holding only a copy of the target's kubeconfig reaches the cluster.", page: "access-cluster", anchor: "accessing-for-the-first-time-with-kubectl" },
  { id: "KP-01", section: "kubectl-proxy", title: "`kubectl proxy --port=0` prints `Starting to serve on 127.0.0.1:PORT`; `GET http://localhost:PORT/api/` → 200 `APIVersions`, `versions` contains `v1`, `serverAddressByClientCIDRs` present.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-02", section: "kubectl-proxy", title: "A fixed `--port` works the same.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-03", section: "kubectl-proxy", title: "IPv6: `--address=::1`, `GET http://[::1]:PORT/api/` → 200 (skip with reason where the host has no IPv6 loopback).", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-04", section: "kubectl-proxy", title: "The client sends no credentials: through the proxy 200; the same request sent straight to the API server without credentials → 401 or 403.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-05", section: "kubectl-proxy", title: "No MITM: pointed at a TLS endpoint whose certificate is not signed by the kubeconfig CA, the proxy serves an error, never data.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-06", section: "kubectl-proxy", title: "Default filter: `…/pods/P/exec` and `…/pods/P/attach` → 403, body `Forbidden`.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-07", section: "kubectl-proxy", title: "Host filter: `Host: evil.example` → 403; `localhost`, `127.0.0.1`, `[::1]` accepted (DNS-rebinding defence).", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-08", section: "kubectl-proxy", title: "`--unix-socket`: `GET /api/` over the socket → 200.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-09", section: "kubectl-proxy", title: "`--api-prefix=/k8s-api/`: API served under the prefix, 404 outside it.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-10", section: "kubectl-proxy", title: "`--www DIR` with the default `--www-prefix=/static/`: static files and the API from one origin.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-11", section: "kubectl-proxy", title: "`--reject-methods='^POST$'`: POST → 403, GET → 200.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "KP-12", section: "kubectl-proxy", title: "Streaming: a watch (`?watch=1`) streams events through the proxy; with `--disable-filter` an exec upgrade succeeds.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "TK-01", section: "token", title: "A Secret `default-token` of type `kubernetes.io/service-account-token`, annotated `kubernetes.io/service-account.name: default`, gets `data.token` from the token controller (bounded wait, as the documented loop does).", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "TK-02", section: "token", title: "APISERVER: the documented grep/cut pipeline over `kubectl config view --minify` and the jsonpath form give the same URL (commands run as documented).", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "TK-03", section: "token", title: "TOKEN: `kubectl describe secret … | grep -E '^token' | cut …` and jsonpath + base64 decode give the same token.", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "TK-04", section: "token", title: "`GET $APISERVER/api` with the bearer token and TLS verification off (`--insecure`) → 200 `APIVersions`; result `warn` (MITM-exposed path).", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "TK-05", section: "token", title: "The same with the kubeconfig CA → 200; with a wrong CA → TLS failure.", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "TK-06", section: "token", title: "A short-lived TokenRequest token (`kubectl create token default`) → 200.", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "TK-07", section: "token", title: "No credentials: `/api` → 401 or 403 with a `Status` body (record which); `/version`, `/healthz` readable anonymously or not (recorded: \"some clusters need no authentication\").", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "TK-08", section: "token", title: "A malformed or unknown bearer token → 401 `Status`, reason `Unauthorized`.", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "TK-09", section: "token", title: "A ServiceAccount without RBAC: discovery `/api` → 200, listing pods in `kube-system` → 403.", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "TK-10", section: "token", title: "Deleting the Secret revokes its token: the same request then → 401.", page: "access-cluster", anchor: "without-kubectl-proxy" },
  { id: "CL-JS", section: "client-libraries", title: "`@kubernetes/client-node` (`loadFromDefault`, `CoreV1Api.listNamespacedPod`).", page: "access-cluster-api", anchor: "programmatic-access-to-the-api" },
  { id: "CL-GO", section: "client-libraries", title: "`client-go` (`clientcmd.BuildConfigFromFlags`).", page: "access-cluster", anchor: "programmatic-access-to-the-api" },
  { id: "CL-PY", section: "client-libraries", title: "Python `kubernetes` (`config.load_kube_config`).", page: "access-cluster", anchor: "programmatic-access-to-the-api" },
  { id: "CL-JAVA", section: "client-libraries", title: "the documented Java, dotnet and Haskell clients (skip with reason where the runtime cannot be had).", page: "access-cluster-api", anchor: "programmatic-access-to-the-api" },
  { id: "CL-DOTNET", section: "client-libraries", title: "the documented Java, dotnet and Haskell clients (skip with reason where the runtime cannot be had).", page: "access-cluster-api", anchor: "programmatic-access-to-the-api" },
  { id: "CL-HASKELL", section: "client-libraries", title: "the documented Java, dotnet and Haskell clients (skip with reason where the runtime cannot be had).", page: "access-cluster-api", anchor: "programmatic-access-to-the-api" },
  { id: "CL-PROXY", section: "client-libraries", title: "The Go and Python clients pointed at a running `kubectl proxy` (`http://127.0.0.1:PORT`, no credentials).", page: "access-cluster", anchor: "programmatic-access-to-the-api" },
  { id: "IC-01", section: "in-cluster", title: "`KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT_HTTPS` are set and match the `kubernetes` Service in `default`.", page: "access-api-from-pod", anchor: "" },
  { id: "IC-02", section: "in-cluster", title: "`kubernetes.default.svc` (and its `.cluster.local` FQDN) resolves to that ClusterIP.", page: "access-api-from-pod", anchor: "" },
  { id: "IC-03", section: "in-cluster", title: "`token`, `ca.crt`, `namespace` exist under `/var/run/secrets/kubernetes.io/serviceaccount`; `namespace` equals the Pod's; the token's subject is `system:serviceaccount:NS:SA`.", page: "access-api-from-pod", anchor: "" },
  { id: "IC-04", section: "in-cluster", title: "The documented `curl --cacert ${CACERT} --header \"Authorization: Bearer ${TOKEN}\" https://kubernetes.default.svc/api` → 200 `APIVersions`.", page: "access-api-from-pod", anchor: "" },
  { id: "IC-05", section: "in-cluster", title: "The serving certificate is valid for `$KUBERNETES_SERVICE_HOST` (required by the documentation's note).", page: "access-api-from-pod", anchor: "" },
  { id: "IC-06", section: "in-cluster", title: "Validity for the name `kubernetes.default.svc` (not guaranteed: `pass` or `warn`, never `fail`).", page: "access-api-from-pod", anchor: "" },
  { id: "IC-07", section: "in-cluster", title: "`automountServiceAccountToken: false` → no token files; an unauthenticated request → 401 or 403.", page: "access-api-from-pod", anchor: "" },
  { id: "IC-08", section: "in-cluster", title: "`kubectl proxy` as a sidecar: another container of the same Pod reaches `http://localhost:8001/api` → 200.", page: "access-api-from-pod", anchor: "" },
  { id: "IC-09", section: "in-cluster", title: "In-cluster config of client libraries: client-go `rest.InClusterConfig()`, Python `config.load_incluster_config()`, client-node `loadFromCluster()` list pods of their own namespace.", page: "access-api-from-pod", anchor: "" },
  { id: "IC-10", section: "in-cluster", title: "From a Pod, the Service's DNS name and ClusterIP answer (the kube-proxy path, `access-cluster-services#ways-to-connect`).", page: "access-cluster-services", anchor: "ways-to-connect" },
  { id: "IC-11", section: "in-cluster", title: "From a Pod shell, other nodes, Pods and Services are reachable (`#ways-to-connect`): another Pod's IP answers, and a node's kubelet port answers (401/403 counts as reached).", page: "access-cluster-services", anchor: "ways-to-connect" },
  { id: "IC-12", section: "in-cluster", title: "Defaults: a Pod that names no ServiceAccount runs as `system:serviceaccount:NS:default`; the in-cluster clients (client-go, Python, client-node) given no namespace use the one in the `namespace` file.", page: "access-api-from-pod", anchor: "" },
  { id: "SP-01", section: "service-proxy", title: "`NAME` → HTTP, default (unnamed) port.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-02", section: "service-proxy", title: "`NAME:PORT_NAME` → HTTP, named port.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-03", section: "service-proxy", title: "`NAME:PORT_NUMBER` → the same backend as the named port.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-04", section: "service-proxy", title: "`https:NAME:` (trailing colon) → HTTPS, default (unnamed) port.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-05", section: "service-proxy", title: "`https:NAME:PORT_NAME` → HTTPS, named port.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-06", section: "service-proxy", title: "`https:NAME:PORT_NUMBER`.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-07", section: "service-proxy", title: "`http:NAME:PORT_NAME` → explicit HTTP.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-08", section: "service-proxy", title: "The pitfall: `https:NAME` without the trailing colon means service `https` on port `NAME` → 404 or 503, never the backend.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-09", section: "service-proxy", title: "An unknown scheme (`ftp:NAME:`) → 400.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-10", section: "service-proxy", title: "Unknown port name → 503 `no endpoints available`; unknown port number → 503 `no service port`.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-11", section: "service-proxy", title: "A Service with no ready endpoints → 503.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-12", section: "service-proxy", title: "A missing Service → 404.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-13", section: "service-proxy", title: "Sub-path and query are passed unchanged, colons included: `/proxy/_search?q=user:kimchy`, `/proxy/_cluster/health?pretty=true`.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-14", section: "service-proxy", title: "`…/proxy` without the trailing slash → 301 to `…/proxy/`.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-15", section: "service-proxy", title: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS reach the backend with the method preserved.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-16", section: "service-proxy", title: "`kubectl cluster-info` lists the Services labelled `kubernetes.io/cluster-service=true` with their proxy URLs, and those URLs answer.", page: "access-cluster-services", anchor: "discovering-builtin-services" },
  { id: "SP-17", section: "service-proxy", title: "Pod proxy: `pods/POD/proxy/`, `pods/POD:PORT/proxy/`, `pods/https:POD:PORT/proxy/`.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-18", section: "service-proxy", title: "Node proxy: `nodes/NODE/proxy/healthz` (and `NODE:10250`), allowed or denied as RBAC says.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-19", section: "service-proxy", title: "Rewriting: `text/html` bodies get absolute `href`/`src`/`action` prefixed with the proxy path; a `Location` header is rewritten; `application/json` bodies are untouched; gzip-encoded HTML is rewritten too.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-20", section: "service-proxy", title: "The removed redirect verb (`access-cluster#requesting-redirects`): `/api/v1/redirect/…` → 404.", page: "access-cluster", anchor: "requesting-redirects" },
  { id: "SP-21", section: "service-proxy", title: "NodePort: the Service answers on a node address from outside the cluster (`access-cluster-services#ways-to-connect`).", page: "access-cluster-services", anchor: "ways-to-connect" },
  { id: "SP-22", section: "service-proxy", title: "LoadBalancer: answers on its external address, or `n/a` where no load-balancer controller exists (record which).", page: "access-cluster-services", anchor: "ways-to-connect" },
  { id: "SP-23", section: "service-proxy", title: "From a node or a Pod: a shell in a Pod (`kubectl exec`) and on a node reaches the Service.", page: "access-cluster-services", anchor: "ways-to-connect" },
  { id: "SP-24", section: "service-proxy", title: "Authorization before proxying (`#manually-constructing-apiserver-proxy-urls`: \"authenticated and authorized\"): a ServiceAccount token without `services/proxy` gets 403 on a Service proxy URL and never reaches the backend; granted that verb on that Service, 200.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "SP-25", section: "service-proxy", title: "Load balancing: with two ready backend Pods, requests through the API server proxy and through the ClusterIP from a Pod reach both; a Pod that exists but is not Ready receives none.", page: "access-cluster", anchor: "many-proxies" },
  { id: "SP-26", section: "service-proxy", title: "One replica of several: a unique label on one Pod and a Service selecting it (`kubectl expose`, as the page suggests) reach exactly that Pod through the proxy URL.", page: "access-cluster-services", anchor: "ways-to-connect" },
  { id: "SP-27", section: "service-proxy", title: "HTTP only: a UDP Service answers through kube-proxy (from a Pod), while the API server proxy for that Service fails with an error, never data.", page: "access-cluster-services", anchor: "ways-to-connect" },
  { id: "SP-28", section: "service-proxy", title: "The page's HTTPS example with sub-path and query, `https:NAME:/proxy/_cluster/health?pretty=true` and a query holding colons, reaches the HTTPS port with path and query unchanged.", page: "access-cluster-services", anchor: "manually-constructing-apiserver-proxy-urls" },
  { id: "BR-01", section: "browser", title: "The page loads through the proxy URL.", page: "access-cluster-services", anchor: "using-web-browsers-to-access-services-running-on-the-cluster" },
  { id: "BR-02", section: "browser", title: "Server-rendered absolute links and sources work (rewritten by the API server).", page: "access-cluster-services", anchor: "using-web-browsers-to-access-services-running-on-the-cluster" },
  { id: "BR-03", section: "browser", title: "Relative links and relative `fetch` work.", page: "access-cluster-services", anchor: "using-web-browsers-to-access-services-running-on-the-cluster" },
  { id: "BR-04", section: "browser", title: "Prefix-unaware client-side JavaScript (`fetch('/data')`, `location.origin + '/data'`) breaks as the documentation warns: recorded as \"limitation confirmed\" when it breaks, and flagged when it does not.", page: "access-cluster-services", anchor: "using-web-browsers-to-access-services-running-on-the-cluster" },
  { id: "BR-05", section: "browser", title: "A backend redirect lands inside the proxy prefix.", page: "access-cluster-services", anchor: "using-web-browsers-to-access-services-running-on-the-cluster" },
  { id: "BR-06", section: "browser", title: "The API server URL opened with no credentials → 401 or 403 (the address bar cannot send a token); Basic authentication is recorded as unsupported since Kubernetes 1.19 (doc drift).", page: "access-cluster-services", anchor: "using-web-browsers-to-access-services-running-on-the-cluster" },
  { id: "BR-07", section: "browser", title: "With the bearer token added by an authenticating front, the page works.", page: "access-cluster-services", anchor: "using-web-browsers-to-access-services-running-on-the-cluster" },
  { id: "BR-08", section: "browser", title: "`kubectl proxy --www`: a static page calling the API from the same origin works.", page: "access-cluster-services", anchor: "using-web-browsers-to-access-services-running-on-the-cluster" },
  { id: "BR-09", section: "browser", title: "The WebSocket through the service proxy opens and echoes.", page: "access-cluster-services", anchor: "using-web-browsers-to-access-services-running-on-the-cluster" },
  { id: "BR-10", section: "browser", title: "Browser trust (`access-cluster#directly-accessing-the-rest-api`: import the root certificate to prevent MITM): Chromium without the cluster CA refuses the API server's certificate; with the CA in its trust store (not an ignore-errors switch) the same URL loads.", page: "access-cluster", anchor: "directly-accessing-the-rest-api" },
  { id: "PX-01", section: "proxy-contract", title: "The exec/attach filter holds on every transport: `POST`, `GET` with `Upgrade: websocket` (`v5.channel.k8s.io`, as kubectl ≥ 1.31 sends) and `Upgrade: SPDY/3.1`, and percent-encoded spellings of the path (`ex%65c`, `%2F` separators) → 403, and nothing reaches the Pod.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "PX-02", section: "proxy-contract", title: "The Host filter is anchored: `evil.example`, `localhost.evil.example`, `127.0.0.1.evil.example`, and `evil.example` on an upgrade request → 403; `localhost` and `127.0.0.1` accepted.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "PX-03", section: "proxy-contract", title: "Cross-origin: a request with `Origin: http://evil.example` gets no `Access-Control-Allow-Origin`; a page of another origin in Chromium cannot read `/api/` through the proxy.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "PX-04", section: "proxy-contract", title: "Upstream TLS: given a kubeconfig whose server presents a certificate that does not chain to its CA (or does not cover its host), the proxy answers an error, never data (KP-05 for any proxy).", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "PX-05", section: "proxy-contract", title: "Streaming: a watch's event arrives within 2 s of the change while the response stays open; `logs -f` lines arrive as they are written; a watch with no event for 75 s is not cut by the proxy (common idle timeouts are 60 s: nginx's default `proxy_read_timeout` cuts a watch there, `kubectl proxy` does not).", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "PX-06", section: "proxy-contract", title: "Bodies: request bodies near the 1 MiB object limit (about 900 KiB; POST, PUT, and PATCH in each patch content type: json, merge, strategic-merge, apply) arrive intact; a chunked request body is accepted; a ≥ 2 MiB answer arrives byte-identical to the direct path's.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "PX-07", section: "proxy-contract", title: "kubectl through the proxy (`--server http://127.0.0.1:PORT`, no credentials): `get`, `apply`, `logs -f`, and `port-forward` to a Pod (not filtered by default) work; `exec` is refused by the default filter.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "PX-08", section: "proxy-contract", title: "Paths unchanged: service-proxy sub-paths with `%2F`, `//`, `%20`, `;a=b`, an encoded `..` and UTF-8 reach the backend exactly as through the direct path (or are refused exactly as there).", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "PX-09", section: "proxy-contract", title: "Content encodings: HTML served with gzip, with br, and a ≥ 256 KiB gzip page comes back rewritten, decodable, with consistent `Content-Encoding` and `Content-Length`, as through the direct path.", page: "access-cluster", anchor: "using-kubectl-proxy" },
  { id: "PX-10", section: "proxy-contract", title: "Exposure: started with no address option, the proxy listens on loopback only (read from the socket table, no traffic sent); `n/a` for `--proxy-url`.", page: "access-cluster", anchor: "using-kubectl-proxy" },
];

export function catalogEntry(id: string): CatalogEntry {
  const entry = CATALOG.find((e) => e.id === id);
  if (!entry) throw new Error(`${id} is not in the access-path catalog`);
  return entry;
}
