import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { demuxDockerLog, exportSummary, failureText, nodeNameOf, redactTree } from "../../harness/kind/export-logs.ts";

/** A made-up token of a JWT's shape, built here so that no token-shaped string sits in the source. */
function fakeJwt(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", kid: "k" })}.${part({ iss: "kubernetes/serviceaccount" })}.${Buffer.from("signature-value").toString("base64url")}`;
}

test("a node is named by its label, else by its container name without the run's prefix", () => {
  assert.equal(nodeNameOf({ Id: "0123456789abcdef", Names: ["/kac-1a2b-kac-worker"], Labels: { "io.kac.node": "kac-worker" } }, "kac-1a2b"), "kac-worker");
  assert.equal(nodeNameOf({ Id: "0123456789abcdef", Names: ["/kac-1a2b-kac-worker2"], Labels: {} }, "kac-1a2b"), "kac-worker2");
  assert.equal(nodeNameOf({ Id: "0123456789abcdef", Names: [], Labels: { "io.kac.node": "../etc" } }, "kac-1a2b"), "..-etc");
  assert.equal(nodeNameOf({ Id: "0123456789abcdef", Names: [], Labels: { "io.kac.node": ".." } }, "kac-1a2b"), "0123456789ab");
});

test("the summary names the nodes, the files, the time and what failed", () => {
  const base = { dir: "/tmp/logs", nodes: ["kac-control-plane", "kac-worker"], files: 42, failed: [], durationMs: 12_345 };
  assert.equal(exportSummary(base), "exported logs of 2 nodes (kac-control-plane, kac-worker): 42 files in /tmp/logs in 12.3s");
  assert.match(exportSummary({ ...base, failed: ["events.log"] }), /; 1 with an error instead \(events\.log\)$/);
  assert.match(exportSummary({ ...base, failed: ["a.log", "b.log", "c.log", "d.log", "e.log"] }), /; 5 with an error instead \(a\.log, b\.log, c\.log, 2 more\)$/);
});

test("a failed command's file says what failed and keeps its output", () => {
  assert.equal(failureText("`crictl images` on n", "exited 1", "connection refused"), "# `crictl images` on n failed: exited 1\nconnection refused\n");
  assert.equal(failureText("docker inspect", "no such container"), "# docker inspect failed: no such container\n");
});

test("multiplexed container output is joined; raw TTY output stays as it is", () => {
  const frame = (stream: number, text: string) => {
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(Buffer.byteLength(text), 4);
    return Buffer.concat([header, Buffer.from(text)]);
  };
  assert.equal(demuxDockerLog(Buffer.concat([frame(1, "out\n"), frame(2, "err\n")])).toString(), "out\nerr\n");
  assert.equal(demuxDockerLog(Buffer.from("systemd 257 running in system mode\n")).toString(), "systemd 257 running in system mode\n");
});

test("pod logs are redacted in place, rotated ones unpacked, symlinks dropped", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kac-export-test-"));
  try {
    const container = join(dir, "kube-system_kube-apiserver_1234", "kube-apiserver");
    await mkdir(container, { recursive: true });
    await writeFile(join(container, "0.log"), `2026-01-01T00:00:00Z stderr F token: ${fakeJwt()}\n`);
    await writeFile(join(container, "1.log.20260101-000000.gz"), gzipSync("Authorization: Bearer opaque-token-value\n"));
    await symlink("/etc/passwd", join(container, "escape.log"));
    assert.equal(await redactTree(dir), 2);
    assert.deepEqual((await readdir(container)).sort(), ["0.log", "1.log.20260101-000000"]);
    assert.equal(await readFile(join(container, "0.log"), "utf8"), "2026-01-01T00:00:00Z stderr F token: <redacted-jwt>\n");
    assert.equal(await readFile(join(container, "1.log.20260101-000000"), "utf8"), "Authorization: Bearer <redacted>\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
