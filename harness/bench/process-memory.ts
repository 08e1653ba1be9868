import { readdirSync, readFileSync } from "node:fs";

/**
 * Samples the resident memory of a process and its descendants (Linux /proc) until stopped; the
 * harness is a CLI plus the Playwright runner and its workers, so the tree is what a machine must hold.
 */
export class ProcessTreeMemory {
  peakMb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(pid: number, intervalMs = 250) {
    this.timer = setInterval(() => {
      const total = treeOf(pid).reduce((sum, p) => sum + rssKb(p), 0) / 1024;
      this.peakMb = Math.max(this.peakMb, Math.round(total));
    }, intervalMs);
  }

  stop(): number {
    clearInterval(this.timer);
    return this.peakMb;
  }
}

function treeOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended between listing and reading.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
