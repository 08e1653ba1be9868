import { type KubeConfig, VersionApi } from "@kubernetes/client-node";
import { UsageError } from "../errors/usage-error.ts";

/** How long a silent API server may take to answer before we call it unreachable. */
const REACHABLE_TIMEOUT_MS = 10_000;

/**
 * GET /version with the given credentials: the first contact with a cluster the harness did not
 * start. No answer, or an HTTP error, is bad input (exit 2) naming `server` and what to check.
 */
export async function askServerVersion(config: KubeConfig, server: string, onHttpError: string, onUnreachable: string): Promise<string> {
  try {
    const answer = await Promise.race([
      config.makeApiClient(VersionApi).getCode(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${REACHABLE_TIMEOUT_MS / 1000}s`)), REACHABLE_TIMEOUT_MS).unref()),
    ]);
    return answer.gitVersion;
  } catch (error) {
    const status = (error as { code?: unknown }).code;
    if (typeof status === "number") throw new UsageError(`${server} answered HTTP ${status} to GET /version`, onHttpError);
    const why = ((error as { cause?: Error }).cause ?? (error as Error)).message.split("\n")[0];
    throw new UsageError(`${server} is unreachable (${why})`, onUnreachable);
  }
}
