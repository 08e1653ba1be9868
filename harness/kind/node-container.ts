import { PassThrough, type Readable } from "node:stream";
import { AbstractStartedContainer, GenericContainer, Wait, type StartedNetwork, type StartedTestContainer } from "testcontainers";
import type { NodeRole, PortMapping } from "./cluster-config.ts";
import { waitFor } from "../ground/wait.ts";
import type { DockerHost } from "./docker-host.ts";

export interface KindNodeOptions {
  /** The Kubernetes node name and the container's hostname (kind's naming: NAME-control-plane, NAME-worker2). */
  nodeName: string;
  /** The Docker container name: unique per run, so a run never collides with kind or another run. */
  containerName: string;
  role: NodeRole;
  network: StartedNetwork;
  host: DockerHost;
  labels: Record<string, string>;
  portMappings: PortMapping[];
}

/** How long systemd in a node may take to boot, images imported; generous for a loaded 2-core machine. */
const BOOT_TIMEOUT_MS = 180_000;

/**
 * One kind node: a systemd container from a kind node image, run the way kind runs it. Like the
 * testcontainers modules, `start()` returns a started object with typed getters.
 */
export class KindNodeContainer extends GenericContainer {
  private readonly options: KindNodeOptions;

  constructor(image: string, options: KindNodeOptions) {
    super(image);
    this.options = options;
    this.withName(options.containerName)
      .withHostname(options.nodeName)
      .withNetwork(options.network)
      .withNetworkAliases(options.nodeName)
      .withLabels(options.labels)
      .withTmpFs({ "/tmp": "", "/run": "" })
      .withBindMounts([{ source: "/lib/modules", target: "/lib/modules", mode: "ro" }])
      .withSecurityOpt("seccomp=unconfined", "apparmor=unconfined")
      // Our cleanup removes node containers by label on every exit path; Docker's auto-remove would race it.
      .withAutoRemove(false)
      // systemd reports its state only on a TTY, so readiness is asked of systemctl, not read from the log.
      .withWaitStrategy(Wait.forSuccessfulCommand(
        "state=$(systemctl is-system-running); [ \"$state\" = running ] || [ \"$state\" = degraded ]",
      ))
      .withStartupTimeout(BOOT_TIMEOUT_MS);

    this.createOpts.Tty = true;
    // Docker would stop systemd with SIGTERM, which systemd ignores; SIGRTMIN+3 asks it to shut down.
    this.createOpts.StopSignal = "SIGRTMIN+3";
    // kind keeps /var (containerd's images and state) on a volume: the node's overlay root cannot host
    // containerd's overlay snapshots. An anonymous volume goes away with `docker rm -v`.
    this.createOpts.Volumes = { "/var": {} };
    this.hostConfig.PortBindings = portBindings(options.portMappings);
    this.createOpts.ExposedPorts = Object.fromEntries(Object.keys(this.hostConfig.PortBindings).map((key) => [key, {}]));
    this.applyRunMode();
  }

  private applyRunMode(): void {
    if (this.options.host.runMode === "privileged") {
      this.withPrivilegedMode();
      this.cgroupns("private");
      return;
    }
    // The host refuses --privileged: grant the capabilities one by one (all but the one the host lacks)
    // and every device. The cgroup namespace stays private, as kind's own; Docker mounts it read-only
    // without --privileged, and the node image's entrypoint mounts writable hierarchies of the
    // container's own subtree before systemd starts (kindest/node's entrypoint expects --privileged).
    this.withAddedCapabilities("ALL").withDroppedCapabilities("SYS_RESOURCE");
    // The CLI's --security-opt systempaths=unconfined: nothing under /proc or /sys masked or read-only.
    this.hostConfig.MaskedPaths = [];
    this.hostConfig.ReadonlyPaths = [];
    this.hostConfig.DeviceCgroupRules = ["a *:* rwm"];
    this.cgroupns("private");
  }

  /** Docker API 1.41 knows the field; the dockerode typings do not yet. */
  private cgroupns(mode: "private" | "host"): void {
    (this.hostConfig as { CgroupnsMode?: string }).CgroupnsMode = mode;
  }

  override async start(): Promise<StartedKindNode> {
    const started = await super.start();
    const inspect = await this.options.host.client.container.inspect(this.options.host.client.container.getById(started.getId()));
    const published = (containerPort: number, protocol = "tcp") =>
      Number(inspect.NetworkSettings.Ports[`${containerPort}/${protocol}`]?.[0]?.HostPort ?? 0);
    return new StartedKindNode(started, this.options, started.getIpAddress(this.options.network.getName()), published);
  }
}

function portBindings(mappings: PortMapping[]): Record<string, { HostIp: string; HostPort: string }[]> {
  return Object.fromEntries(mappings.map((m) => [
    `${m.containerPort}/${m.protocol.toLowerCase()}`,
    [{ HostIp: m.listenAddress, HostPort: m.hostPort === 0 ? "" : String(m.hostPort) }],
  ]));
}

/** A running node with what the cluster pipeline needs of it. */
export class StartedKindNode extends AbstractStartedContainer {
  readonly nodeName: string;
  readonly role: NodeRole;
  /** The node's address on the cluster network: kubelet's node IP and kubeadm's advertise address. */
  readonly address: string;
  private readonly published: (containerPort: number, protocol?: string) => number;
  private readonly host: DockerHost;

  constructor(started: StartedTestContainer, options: KindNodeOptions, address: string, published: (port: number, protocol?: string) => number) {
    super(started);
    this.host = options.host;
    this.nodeName = options.nodeName;
    this.role = options.role;
    this.address = address;
    this.published = published;
  }

  /** The host port Docker published for a container port (for the API server and extraPortMappings). */
  hostPort(containerPort: number, protocol = "tcp"): number {
    return this.published(containerPort, protocol);
  }

  /** Runs a command in the node and returns its stdout; a non-zero exit throws with the command's own words. */
  async run(command: string[], input?: { env?: Record<string, string> }): Promise<string> {
    const result = await this.exec(command, input?.env ? { env: input.env } : undefined);
    if (result.exitCode !== 0) throw commandFailed(this.nodeName, command, result.exitCode, result.stderr || result.stdout);
    return result.stdout;
  }

  /**
   * Runs a command in the node with `input` as its stdin, as `docker exec -i` does (kind streams image
   * archives into `ctr images import -` this way: no copy of the archive lands in the node first).
   */
  async runWithInput(command: string[], input: Readable): Promise<void> {
    const dockerode = this.host.client.container.dockerode;
    const exec = await dockerode.getContainer(this.getId()).exec({ Cmd: command, AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: true });
    const said: Buffer[] = [];
    const output = new PassThrough().on("data", (chunk: Buffer) => said.push(chunk));
    dockerode.modem.demuxStream(stream, output, output);
    const ended = new Promise<void>((resolve, reject) => {
      stream.on("end", resolve).on("close", resolve).on("error", reject);
      input.on("error", reject);
    });
    // The end of the input half-closes the connection: the command sees end of file on stdin.
    input.pipe(stream);
    await ended.finally(() => {
      stream.destroy();
      input.destroy();
    });
    // Docker may report the exec as still running for a moment after its output has ended.
    const { ExitCode } = await waitFor(`\`${command[0]}\` on ${this.nodeName} to report its exit`, async () => {
      const state = await exec.inspect();
      return state.Running ? undefined : state;
    }, { timeoutMs: 10_000, intervalMs: 50 });
    if (ExitCode !== 0) throw commandFailed(this.nodeName, command, ExitCode, Buffer.concat(said).toString());
  }

  /** kubectl inside the node with the cluster-admin kubeconfig kubeadm wrote (control-plane nodes only). */
  kubectl(...args: string[]): Promise<string> {
    return this.run(["kubectl", "--kubeconfig=/etc/kubernetes/admin.conf", ...args]);
  }
}

export class NodeCommandError extends Error {
  override name = "NodeCommandError";
}

/** A node command's non-zero exit, in the command's own last words. */
function commandFailed(nodeName: string, command: string[], exitCode: number | null, said: string): NodeCommandError {
  const tail = said.trim().split("\n").slice(-8).join("\n");
  return new NodeCommandError(`${nodeName}: \`${command.join(" ")}\` exited ${exitCode}:\n${tail}`);
}
