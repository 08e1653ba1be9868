import { spawn } from "node:child_process";
import { lstat, mkdir, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { gunzipSync } from "node:zlib";
import type { ContainerRuntimeClient } from "testcontainers";
import { UsageError } from "../errors/usage-error.ts";
import { NODE_LABEL, ROLE_LABEL, RUN_LABEL } from "../ground/labels.ts";
import { redact, redactDeep } from "../log/redact.ts";
import { seconds } from "../log/progress.ts";
import { labelFilters } from "../cleanup/docker-debris.ts";

/** Dockerode's types, as the testcontainers client hands them out (the project does not depend on dockerode itself). */
type Container = ReturnType<ContainerRuntimeClient["container"]["getById"]>;
type ContainerInfo = Awaited<ReturnType<ContainerRuntimeClient["container"]["list"]>>[number];


/** The whole journal can be large on a long-lived cluster: its last lines are the ones that matter. */
const JOURNAL_LINES = 100_000;
/** How many failed files the one-line summary names. */
const SUMMARY_FAILED_NAMES = 3;
/** Per command inside a node (coreutils `timeout`), generous for a loaded 2-core machine. */
const COMMAND_TIMEOUT_S = 120;
/** Past this, an exec that Docker never ends is abandoned (its node-side `timeout` ends it soon after). */
const EXEC_DEADLINE_MS = (COMMAND_TIMEOUT_S + 15) * 1000;
/** The node container's own output (systemd's boot): kind's serial.log. */
const SERIAL_LINES = 20_000;

/**
 * The files a node gets, each from a command run inside it. kindest/node has crictl; the project's
 * offline node build has only containerd's ctr, the fallback where crictl is not found.
 */
const NODE_COMMANDS: { file: string; command: string[]; fallback?: string[] }[] = [
  { file: "kubelet.log", command: ["journalctl", "--no-pager", "-u", "kubelet"] },
  { file: "containerd.log", command: ["journalctl", "--no-pager", "-u", "containerd"] },
  { file: "journal.log", command: ["journalctl", "--no-pager", "-n", String(JOURNAL_LINES)] },
  { file: "images.log", command: ["crictl", "images"], fallback: ["ctr", "--namespace", "k8s.io", "images", "list"] },
  {
    file: "containers.log",
    command: ["crictl", "ps", "-a"],
    fallback: ["sh", "-c", "ctr --namespace k8s.io containers list && echo && ctr --namespace k8s.io tasks list"],
  },
];

/** The exit status of a command the node does not have (coreutils `timeout`, like the shell, says 127). */
const NOT_FOUND = 127;
/**
 * Where a running node's pod logs are copied before Docker archives them (copyPodLogs): on the node's
 * /var volume, which Docker's archive API reads; the node's /tmp is a tmpfs it does not see.
 */
const POD_LOGS_COPY = "/var/kac-export-logs";

/** The cluster-wide files, from kubectl. */
const CLUSTER_COMMANDS: { file: string; args: string[] }[] = [
  { file: "events.log", args: ["get", "events", "-A", "-o", "wide"] },
  { file: "pods.log", args: ["get", "pods", "-A", "-o", "wide"] },
  { file: "nodes.log", args: ["describe", "nodes"] },
];

export interface ExportedLogs {
  dir: string;
  /** Node names, control-plane first: one directory each under `dir`. */
  nodes: string[];
  /** Files written, the pod logs included. */
  files: number;
  /** Files that hold a command's error text instead of its output, relative to `dir`. */
  failed: string[];
  durationMs: number;
}

/** What one node contributed. */
interface Tally {
  files: number;
  failed: string[];
}

/**
 * Like `kind export logs`: the journals, container runtime state, pod logs and `docker inspect` of
 * every node of run `runId`, and the cluster's events, pods and nodes, into `dir`. A command that
 * fails leaves its error text in its file and the export goes on; every text written is redacted.
 * kubectl runs inside the control-plane node (its own version, admin.conf).
 */
export async function exportClusterLogs(client: ContainerRuntimeClient, runId: string, dir: string): Promise<ExportedLogs> {
  const began = Date.now();
  const dockerode = client.container.dockerode;
  const found = await dockerode.listContainers({ all: true, filters: { label: [...labelFilters(RUN_LABEL, runId).label, NODE_LABEL] } });
  if (found.length === 0) {
    throw new UsageError(
      `no node containers labelled ${RUN_LABEL}=${runId}`,
      `name a run that is still there (\`docker ps -a --filter label=${RUN_LABEL}\` lists them)`,
    );
  }
  const nodes = found.map((info) => ({ info, name: nodeNameOf(info, runId) })).sort(byRoleThenName);
  await mkdir(dir, { recursive: true });

  const controlPlane = nodes.find((n) => n.info.Labels[ROLE_LABEL] === "control-plane" && n.info.State === "running");
  const kubectl = clusterKubectl(client, controlPlane?.info.Id);
  const tallies = await Promise.all([
    ...nodes.map((node) => exportNode(client, client.container.getById(node.info.Id), node.name, join(dir, node.name))),
    exportClusterState(kubectl, dir),
  ]);
  return {
    dir,
    nodes: nodes.map((n) => n.name),
    files: tallies.reduce((sum, t) => sum + t.files, 0),
    failed: tallies.flatMap((t) => t.failed),
    durationMs: Date.now() - began,
  };
}

/** The runs whose kind nodes are still there (kept with --keep, or left by a killed run). */
export async function clusterRunIds(client: ContainerRuntimeClient): Promise<string[]> {
  const found = await client.container.dockerode.listContainers({ all: true, filters: { label: [RUN_LABEL, NODE_LABEL] } });
  return [...new Set(found.map((info) => info.Labels[RUN_LABEL]!))].sort();
}

/** One line for a person: what was exported, where, how long it took. */
export function exportSummary(exported: ExportedLogs): string {
  const named = exported.failed.slice(0, SUMMARY_FAILED_NAMES).join(", ");
  const more = exported.failed.length > SUMMARY_FAILED_NAMES ? `, ${exported.failed.length - SUMMARY_FAILED_NAMES} more` : "";
  const failed = exported.failed.length > 0 ? `; ${exported.failed.length} with an error instead (${named}${more})` : "";
  const nodes = exported.nodes.length === 1 ? "1 node" : `${exported.nodes.length} nodes`;
  return `exported logs of ${nodes} (${exported.nodes.join(", ")}): ${exported.files} files in ${exported.dir} in ${seconds(exported.durationMs)}${failed}`;
}

/** The node's Kubernetes name: its label, else the container name without the run's prefix; safe as a directory name. */
export function nodeNameOf(info: Pick<ContainerInfo, "Labels" | "Names" | "Id">, runId: string): string {
  const containerName = (info.Names[0] ?? info.Id.slice(0, 12)).replace(/^\//, "");
  const name = info.Labels[NODE_LABEL] || containerName.replace(new RegExp(`^${escapeRegExp(runId)}-`), "");
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, "-");
  return safe === "" || safe === "." || safe === ".." ? info.Id.slice(0, 12) : safe;
}

/** What a file holds when its command failed: the command, why, and whatever it printed. */
export function failureText(what: string, why: string, output = ""): string {
  return `# ${what} failed: ${why}\n${output}${output === "" || output.endsWith("\n") ? "" : "\n"}`;
}

/**
 * The output of a container started without a TTY comes multiplexed: 8-byte headers (stream, 0 0 0,
 * big-endian length) before each chunk. Returns the chunks' bytes joined, stdout and stderr in order.
 */
export function demuxDockerLog(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset]!;
    if (stream > 2 || buffer[offset + 1] !== 0 || buffer[offset + 2] !== 0 || buffer[offset + 3] !== 0) return buffer;
    const length = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return offset === buffer.length ? Buffer.concat(parts) : buffer;
}

function byRoleThenName(a: { info: ContainerInfo; name: string }, b: { info: ContainerInfo; name: string }): number {
  const rank = (n: { info: ContainerInfo }) => (n.info.Labels[ROLE_LABEL] === "control-plane" ? 0 : 1);
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

async function exportNode(client: ContainerRuntimeClient, container: Container, name: string, nodeDir: string): Promise<Tally> {
  await mkdir(nodeDir, { recursive: true });
  const tally: Tally = { files: 0, failed: [] };
  const write = async (file: string, text: string, ok: boolean) => {
    await writeFile(join(nodeDir, file), redact(text));
    tally.files++;
    if (!ok) tally.failed.push(`${name}/${file}`);
  };

  let tty = true;
  try {
    const inspect = await client.container.inspect(container);
    tty = inspect.Config.Tty;
    await write("inspect.json", `${JSON.stringify([redactDeep(inspect)], null, 2)}\n`, true);
  } catch (error) {
    await write("inspect.json", failureText("docker inspect", message(error)), false);
  }
  try {
    const log = await container.logs({ stdout: true, stderr: true, follow: false, tail: SERIAL_LINES });
    await write("serial.log", (tty ? log : demuxDockerLog(log)).toString("utf8"), true);
  } catch (error) {
    await write("serial.log", failureText("docker logs", message(error)), false);
  }
  // One at a time within a node: journalctl over a whole journal is the heavy part on a small machine.
  for (const { file, command, fallback } of NODE_COMMANDS) {
    let result = await execInNode(client, container, command);
    if (!result.ok && result.exitCode === NOT_FOUND && fallback) {
      const second = await execInNode(client, container, fallback);
      result = second.ok ? { ...second, output: `# ${command[0]} is not in this node image: \`${fallback.join(" ")}\`\n${second.output}` } : second;
    }
    await write(file, result.ok ? result.output : failureText(`\`${command.join(" ")}\` on ${name}`, result.why, result.output), result.ok);
  }
  try {
    tally.files += await copyPodLogs(client, container, nodeDir);
  } catch (error) {
    await rm(join(nodeDir, "pods"), { recursive: true, force: true });
    await mkdir(join(nodeDir, "pods"));
    await write("pods/ERROR.log", failureText(`copying /var/log/pods from ${name}`, message(error)), false);
  }
  return tally;
}

type CommandResult = { ok: true; output: string } | { ok: false; why: string; output: string; exitCode?: number };

/** Runs a command in a node under coreutils `timeout`; never throws. */
async function execInNode(client: ContainerRuntimeClient, container: Container, command: string[]): Promise<CommandResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Docker after ${EXEC_DEADLINE_MS / 1000}s`)), EXEC_DEADLINE_MS);
    });
    const result = await Promise.race([
      client.container.exec(container, ["timeout", "--kill-after=5", String(COMMAND_TIMEOUT_S), ...command]),
      deadline,
    ]);
    if (result.exitCode === 0) return { ok: true, output: result.output };
    const why = result.exitCode === 124 || result.exitCode === 137 ? `timed out after ${COMMAND_TIMEOUT_S}s` : `exited ${result.exitCode}`;
    return { ok: false, why, output: result.output, exitCode: result.exitCode };
  } catch (error) {
    return { ok: false, why: message(error), output: "" };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Copies the node's /var/log/pods (every container's log, the control plane's static Pods included)
 * into nodeDir/pods through Docker's archive API, which works on a stopped node too. /var/log/containers
 * holds only symlinks into /var/log/pods, so it adds nothing. Returns the number of files.
 *
 * On a running node, from a copy taken inside the node first: Docker ends the archive of a file that
 * grows while it is being read ("aborted"), and the control plane's logs always grow. A stopped node
 * takes no exec, and its logs stand still.
 */
async function copyPodLogs(client: ContainerRuntimeClient, container: Container, nodeDir: string): Promise<number> {
  const copied = await execInNode(client, container, ["sh", "-c", `rm -rf ${POD_LOGS_COPY} && mkdir -p ${POD_LOGS_COPY} && cp -r /var/log/pods ${POD_LOGS_COPY}/`]);
  try {
    return await extractPodLogs(client, container, copied.ok ? `${POD_LOGS_COPY}/pods` : "/var/log/pods", nodeDir);
  } finally {
    if (copied.ok) await execInNode(client, container, ["rm", "-rf", POD_LOGS_COPY]);
  }
}

async function extractPodLogs(client: ContainerRuntimeClient, container: Container, source: string, nodeDir: string): Promise<number> {
  const archive = await client.container.fetchArchive(container, source);
  const tar = spawn("tar", ["-x", "--no-same-owner", "--no-same-permissions", "-C", nodeDir], { stdio: ["pipe", "ignore", "pipe"] });
  let said = "";
  tar.stderr!.on("data", (chunk: Buffer) => (said += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) => {
    tar.on("error", reject);
    tar.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tar exited ${code}: ${said.trim()}`))));
  });
  await pipeline(archive, tar.stdin!);
  await exited;
  return redactTree(join(nodeDir, "pods"));
}

/**
 * Redacts every file under a directory in place; rotated logs (.gz) are unpacked first, symlinks
 * (which would point into the host, not the node) removed. Files that are not text stay as they are.
 * Returns the number of files left.
 */
export async function redactTree(dir: string): Promise<number> {
  let files = 0;
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    const stat = await lstat(path);
    if (stat.isSymbolicLink()) {
      await unlink(path);
    } else if (stat.isDirectory()) {
      files += await redactTree(path);
    } else if (stat.isFile()) {
      let bytes = await readFile(path);
      let target = path;
      if (path.endsWith(".gz")) {
        try {
          bytes = gunzipSync(bytes);
          target = path.slice(0, -".gz".length);
          await unlink(path);
        } catch {
          // Not gzip after all: handled as it is.
        }
      }
      if (bytes.includes(0)) {
        if (target !== path) await writeFile(target, bytes);
      } else {
        const text = bytes.toString("utf8");
        const redacted = redact(text);
        if (redacted !== text || target !== path) await writeFile(target, redacted);
      }
      files++;
    }
  }
  return files;
}

type Kubectl = (args: string[]) => Promise<CommandResult>;

/** kubectl in the control-plane node with admin.conf (its own version; no kubeconfig of the host's needed). */
function clusterKubectl(client: ContainerRuntimeClient, controlPlaneId: string | undefined): Kubectl {
  return async (args) => controlPlaneId
    ? execInNode(client, client.container.getById(controlPlaneId), ["kubectl", "--kubeconfig=/etc/kubernetes/admin.conf", ...args])
    : { ok: false, why: "no running control-plane node", output: "" };
}

async function exportClusterState(kubectl: Kubectl, dir: string): Promise<Tally> {
  const tally: Tally = { files: 0, failed: [] };
  for (const { file, args } of CLUSTER_COMMANDS) {
    const result = await kubectl(args);
    await writeFile(join(dir, file), redact(result.ok ? result.output : failureText(`\`kubectl ${args.join(" ")}\``, result.why, result.output)));
    tally.files++;
    if (!result.ok) tally.failed.push(file);
  }
  return tally;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
