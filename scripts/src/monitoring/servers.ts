// One monitoring server as a child process: started from its binary in its own process group
// with its output in a log file, waited for until its readiness URL answers, stopped with SIGTERM
// and, past a deadline, SIGKILL. With a run directory, its pid is kept there as <name>.pid (the
// same files scripts/lib/infra.sh keeps), so that a server left running by `monitoring:up` is
// found and reused by the next start.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export interface ServerSpec {
  /** prometheus, alertmanager, node-exporter or jaeger: the pid and log file names. */
  name: string;
  binary: string;
  args: string[];
  /** Every port it listens on, checked free before it starts. */
  ports: number[];
  /** Each answers 200 once the server is ready. */
  readyUrls: string[];
  logFile: string;
}

export interface RunningServer {
  name: string;
  pid: number;
  /** False when it was already running (a live pid file) and is left alone by stop(). */
  startedHere: boolean;
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readPid(runDir: string, name: string): number | undefined {
  const file = join(runDir, `${name}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? pid : undefined;
}

export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function logTail(file: string, lines = 25): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** SIGTERM to the process group, then SIGKILL after timeoutMs; resolves once it is gone. */
export async function stopPid(pid: number, timeoutMs = 15_000): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      try {
        process.kill(pid, s);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid) && Date.now() < deadline) await sleep(100);
  if (pidAlive(pid)) signal('SIGKILL');
  while (pidAlive(pid)) await sleep(50);
}

export async function waitReady(
  spec: Pick<ServerSpec, 'name' | 'readyUrls' | 'logFile'>,
  timeoutMs: number,
  exited: () => number | null = () => null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await Promise.all(spec.readyUrls.map(answers))).every(Boolean)) return;
    const code = exited();
    if (code !== null)
      throw new Error(
        `${spec.name} exited with code ${code} during start-up; last lines of ${spec.logFile}:\n${logTail(spec.logFile)}`,
      );
    if (Date.now() > deadline)
      throw new Error(
        `${spec.name} was not ready within ${timeoutMs / 1000} s (${spec.readyUrls.join(', ')}); last lines of ${spec.logFile}:\n${logTail(spec.logFile)}`,
      );
    await sleep(200);
  }
}

/**
 * Starts the server, or finds it running (a live pid file in runDir, and ready). `persistent`
 * leaves it running when this process exits (monitoring:up); otherwise stop() ends it.
 */
export async function startServer(
  spec: ServerSpec,
  options: { runDir?: string; persistent?: boolean; readyTimeoutMs: number },
): Promise<RunningServer> {
  const pidFile = options.runDir ? join(options.runDir, `${spec.name}.pid`) : undefined;
  const running = options.runDir ? readPid(options.runDir, spec.name) : undefined;
  if (running !== undefined) {
    await waitReady(spec, options.readyTimeoutMs);
    // Someone else's (monitoring:up, or an earlier npm start still running): theirs to stop.
    const leaveRunning = () => Promise.resolve();
    return { name: spec.name, pid: running, startedHere: false, stop: leaveRunning };
  }
  for (const port of spec.ports)
    if (await portInUse(port))
      throw new Error(
        `${spec.name}: port ${port} on 127.0.0.1 is already in use by another program (see docs/local-stack.md to move it)`,
      );
  const log = openSync(spec.logFile, 'a');
  const child = spawn(spec.binary, spec.args, {
    stdio: ['ignore', log, log],
    detached: true, // its own process group: Ctrl-C reaches it only through whoever stops it
  });
  closeSync(log);
  let exitCode: number | null = null;
  child.on('exit', (code, signal) => (exitCode = code ?? (signal ? 128 : 0)));
  const spawned = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? 0));
    child.once('error', (e) =>
      reject(new Error(`${spec.name}: cannot run ${spec.binary}: ${e.message}`)),
    );
  });
  if (options.persistent) child.unref();
  if (pidFile) writeFileSync(pidFile, `${spawned}\n`);
  const stop = async () => {
    await stopPid(spawned);
    if (pidFile && existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(spawned))
      rmSync(pidFile, { force: true });
  };
  try {
    await waitReady(spec, options.readyTimeoutMs, () => exitCode);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: spec.name, pid: spawned, startedHere: true, stop };
}
