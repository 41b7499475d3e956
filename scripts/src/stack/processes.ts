// Child processes of the local stack: each in its own process group, its output prefixed with
// its name, stopped with SIGTERM and, past a deadline, SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const colours = [36, 35, 33, 32, 34, 31];

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number>;
}

export function prefixLines(
  name: string,
  width: number,
  colourIndex: number,
  isTty: boolean,
): (line: string) => string {
  const label = name.padEnd(width);
  const colour = colours[colourIndex % colours.length];
  return (line) => (isTty ? `\u001b[${colour}m${label} |\u001b[0m ${line}` : `${label} | ${line}`);
}

export function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  prefix: (line: string) => string;
}): ManagedProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so Ctrl-C reaches it only through us, in order
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      createInterface({ input: stream }).on('line', (line) => console.log(options.prefix(line)));
  }
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 0)));
    child.on('error', () => resolve(127));
  });
  return { name: options.name, child, exited };
}

export async function stopProcess(p: ManagedProcess, timeoutMs: number): Promise<void> {
  const pid = p.child.pid;
  if (p.child.exitCode !== null || pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
  await p.exited;
  clearTimeout(timer);
}
