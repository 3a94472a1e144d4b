/** The cross-process lock: a dead holder on this host is taken over at once, others are waited for. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, readFile, rm, unlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { StateStore } from "../../lib/alerting/state-file.js";
import { FsStorage } from "../../lib/storage/fs.js";
import { withLock } from "../../lib/files/lock.js";
import { OWNER_FILE, ownRecord, type LockOwner } from "../../lib/files/lock-owner.js";
import { REPO } from "../helpers/paths.js";
import { tmpDir } from "../helpers/tmp.js";

const LOCK_MODULE = path.join(REPO, "dist", "lib", "files", "lock.js");
/** Longer than any test may run: a test that finishes proves nobody waited for the lock to age. */
const HOUR_MS = 3_600_000;

/** A separate process takes the lock for real and is killed (SIGKILL) while holding it. */
async function holdAndDie(lockDir: string): Promise<number> {
  await mkdir(path.dirname(lockDir), { recursive: true });
  const script = `
    const { withLock } = await import(${JSON.stringify(LOCK_MODULE)});
    await withLock(${JSON.stringify(lockDir)}, () => { console.log("locked"); return new Promise(() => {}); });`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const locked = once(createInterface({ input: child.stdout }), "line");
  assert.deepEqual(await Promise.race([locked, exited.then((code) => ["exited", ...code])]), ["locked"]);
  child.kill("SIGKILL");
  await exited;
  return child.pid!;
}

async function writeOwner(lockDir: string, owner: Partial<LockOwner>): Promise<void> {
  await mkdir(lockDir, { recursive: true });
  await writeFile(path.join(lockDir, OWNER_FILE), JSON.stringify(owner));
}

test("lock: a holder killed on this host is taken over at once", { timeout: 60_000 }, async () => {
  const lockDir = path.join(await tmpDir(), "x.lock");
  const pid = await holdAndDie(lockDir);
  const left = JSON.parse(await readFile(path.join(lockDir, OWNER_FILE), "utf8")) as LockOwner;
  assert.equal(left.pid, pid, "the holder recorded itself");
  assert.equal(await withLock(lockDir, async () => "ran", { staleMs: HOUR_MS, timeoutMs: HOUR_MS }), "ran");
});

test("lock: fs stores go on after a process died holding index.json.lock or summaries/.lock", { timeout: 60_000 }, async () => {
  const dir = await tmpDir();
  await holdAndDie(path.join(dir, "index.json.lock"));
  await holdAndDie(path.join(dir, "summaries", ".lock"));
  // Both locks are seconds old, far from the 30 s after which an unknown lock is broken, and the
  // store gives up after 15 s: it can only succeed by taking them over.
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  const name = await fs.store([{ title: "a", timestamp: 1n, times: [{ rtt: 1 }], healthy: true }]);
  assert.deepEqual([...(await fs.index()).keys()], [name]);
});

test("lock: the alert state goes on after a process died holding its lock (waited up to 180 s before)", { timeout: 60_000 }, async () => {
  const file = path.join(await tmpDir(), "alerts.json");
  await holdAndDie(`${file}.lock`);
  const store = new StateStore(file, (m) => assert.fail(m));
  assert.equal(await store.update(async (state) => ({ value: state })), undefined, "no state yet, and the lock was taken");
});

test("lock: a pid now used by another process does not pass for the dead holder", { timeout: 60_000 }, async () => {
  const lockDir = path.join(await tmpDir(), "x.lock");
  // This very process is alive under the recorded pid, but it started at another time.
  await writeOwner(lockDir, { ...(await ownRecord()), start: "1" });
  assert.equal(await withLock(lockDir, async () => "ran", { staleMs: HOUR_MS, timeoutMs: HOUR_MS }), "ran");
});

test("lock: a live holder on this host is waited for, not taken over", async () => {
  const lockDir = path.join(await tmpDir(), "x.lock");
  await writeOwner(lockDir, await ownRecord());
  await assert.rejects(withLock(lockDir, async () => "ran", { staleMs: HOUR_MS, timeoutMs: 100 }),
    new RegExp(`^Error: could not lock ${lockDir} within 100 ms: it is held by pid ${process.pid} on host `));
});

test("lock: a holder on another host is waited for; the error names the lock, the holder and the fix", async () => {
  const lockDir = path.join(await tmpDir(), "x.lock");
  const since = "2026-11-22T10:00:00.000Z";
  await writeOwner(lockDir, { pid: process.pid, host: "elsewhere.example", token: "f00d", since });
  let ran = false;
  await assert.rejects(withLock(lockDir, async () => (ran = true), { staleMs: HOUR_MS, timeoutMs: 200 }), {
    message: `could not lock ${lockDir} within 200 ms: it is held by pid ${process.pid} on host "elsewhere.example" since ${since}. ` +
      `If no checkup is running there, remove ${lockDir}; it is taken over anyway once it is 3600 s old`,
  });
  assert.equal(ran, false);
  assert.equal(JSON.parse(await readFile(path.join(lockDir, OWNER_FILE), "utf8")).host, "elsewhere.example", "the lock is left alone");
  // Once it is older than staleMs it is broken, as before.
  const old = new Date(Date.now() - 2 * HOUR_MS);
  await utimes(lockDir, old, old);
  assert.equal(await withLock(lockDir, async () => "ran", { staleMs: HOUR_MS, timeoutMs: HOUR_MS }), "ran");
});

test("lock: a lock without an owner record (an older checkup) names that in the error", async () => {
  const lockDir = path.join(await tmpDir(), "x.lock");
  await mkdir(lockDir);
  await assert.rejects(withLock(lockDir, async () => "ran", { staleMs: HOUR_MS, timeoutMs: 100 }),
    /it is held by a process that left no owner record \(an older checkup, or a full disk\)\. If no checkup is running there, remove /);
});

test("lock: releasing leaves alone a lock another process took over meanwhile", async () => {
  const lockDir = path.join(await tmpDir(), "x.lock");
  const theirs = { pid: 1, host: "elsewhere.example", token: "beef", since: "2026-11-22T10:00:00.000Z" };
  await withLock(lockDir, async () => {
    // What a waiter elsewhere does when it judges this lock stale: break it and take it.
    await rm(lockDir, { recursive: true });
    await writeOwner(lockDir, theirs);
  });
  assert.deepEqual(JSON.parse(await readFile(path.join(lockDir, OWNER_FILE), "utf8")), theirs);
});

/** A separate process that takes the lock `rounds` times, failing if anyone else holds it meanwhile. */
function contender(lockDir: string, marker: string, rounds: number): Promise<number | null> {
  const script = `
    const { withLock } = await import(${JSON.stringify(LOCK_MODULE)});
    const { writeFile, unlink, readFile } = await import("node:fs/promises");
    for (let i = 0; i < ${rounds}; i++) {
      await withLock(${JSON.stringify(lockDir)}, async () => {
        await writeFile(${JSON.stringify(marker)}, String(process.pid), { flag: "wx" });
        await readFile(${JSON.stringify(marker)});
        await unlink(${JSON.stringify(marker)});
      }, { staleMs: ${HOUR_MS}, timeoutMs: ${HOUR_MS} });
    }`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "inherit" });
  return new Promise((resolve) => child.once("exit", resolve));
}

test("lock: waiters racing to take over one dead lock hold it one at a time", { timeout: 60_000 }, async () => {
  const dir = await tmpDir();
  const lockDir = path.join(dir, "x.lock");
  const marker = path.join(dir, "holder");
  await holdAndDie(lockDir);
  const inProcess = Array.from({ length: 4 }, () => withLock(lockDir, async () => {
    // "wx" fails if another holder's marker is there: two holders at once.
    await writeFile(marker, "in-process", { flag: "wx" });
    await readFile(marker);
    await unlink(marker);
  }, { staleMs: HOUR_MS, timeoutMs: HOUR_MS }));
  const codes = await Promise.all([0, 1, 2, 3].map(() => contender(lockDir, marker, 5)));
  await Promise.all(inProcess);
  assert.deepEqual(codes, [0, 0, 0, 0]);
});
