import type { ChildProcess } from "node:child_process";

/**
 * Stops a child process with SIGTERM and waits until it has exited, so that nothing it does outlives
 * the caller's cleanup. `group` signals the child's whole process group (a child started detached, such
 * as a proxy command whose shell started the proxy).
 */
export async function stopProcess(child: ChildProcess, { group = false }: { group?: boolean } = {}): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  if (group) process.kill(-child.pid!, "SIGTERM");
  else child.kill("SIGTERM");
  await exited;
}
