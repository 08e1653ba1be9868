import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { RunPool } from "../support/run-pool.ts";

test("the run pool: nothing before the first result is asked for, then in order, never more than its width at once", async () => {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const pool = new RunPool(2, async () => void events.push("first"));
  const runs = [30, 5, 5, 5].map((ms, i) => pool.add(`run ${i}`, async () => {
    events.push(`start ${i}`);
    most = Math.max(most, ++running);
    await sleep(ms);
    running--;
    return i;
  }));
  await sleep(20);
  assert.deepEqual(events, [], "nothing starts on its own");
  assert.deepEqual(await Promise.all(runs.map((result) => result())), [0, 1, 2, 3]);
  assert.equal(most, 2);
  // A work queue: the slow first run holds up only its own worker.
  assert.deepEqual(events, ["first", "start 0", "start 1", "start 2", "start 3"]);
});

test("the run pool: a failed run fails only its own result; a failed preparation fails every run with its error", async () => {
  const pool = new RunPool(1);
  const broken = pool.add("broken", async () => { throw new Error("broken"); });
  const fine = pool.add("fine", async () => "fine");
  await assert.rejects(broken(), /broken/);
  assert.equal(await fine(), "fine");
  assert.throws(() => pool.add("late", async () => undefined), /after the pool started/);

  const unprepared = new RunPool(2, async () => { throw new Error("no tools"); });
  const runs = [unprepared.add("a", async () => 1), unprepared.add("b", async () => 2)];
  for (const result of runs) await assert.rejects(result(), /no tools/);
});
