import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Children still running, so a failed test cannot leave one behind (see root-hooks.ts). */
const running = new Set<ChildProcess>();
/** Children a whole suite shares (started in `before`): killed at the end of the run instead. */
const shared = new Set<ChildProcess>();

/** Process groups of `npm start` children, killed whole: killing npm alone would orphan node. */
const groups = new Set<ChildProcess>();

/** Kills every child server a test left running; returns how many there were. */
export function killLeftoverChildren(): number {
  const leftover = running.size + groups.size;
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  for (const child of groups) killGroup(child, 'SIGKILL');
  groups.clear();
  return leftover;
}

/** Sends a signal to every process in the child's group; false when none is left. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch {
    return false;
  }
}

/** Kills every shared child still running (the end of the run). */
export function killSharedChildren(): void {
  for (const child of shared) child.kill('SIGKILL');
  shared.clear();
}

/** Lets a child started in a suite's `before` outlive each test; the suite stops it. */
export function shareAcrossTests(server: ChildServer): ChildServer {
  running.delete(server.process);
  if (server.process.exitCode === null) shared.add(server.process);
  server.process.once('exit', () => shared.delete(server.process));
  return server;
}

/** The repository root, where `npm start` runs. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The compiled entry point, as `npm start` runs it. */
export const MAIN = fileURLToPath(new URL('../../cmd/server/main.js', import.meta.url));

/** A Parley running as a real child process. */
export interface ChildServer {
  readonly process: ChildProcess;
  readonly url: string;
  readonly port: number;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
}

/** Runs the CLI to completion; for flags that make it exit on its own. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = spawnMain(args, env);
  const output = capture(child);
  const code = await exitOf(child);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

/** Operating-system limits the child runs under. */
export interface ChildLimits {
  /** RLIMIT_FSIZE: no file the server writes may grow past this (a full disk, per file). */
  readonly fileSizeBytes?: number;
  /** RLIMIT_NOFILE: how many descriptors the server may hold open. */
  readonly openFiles?: number;
}

/**
 * Starts the server and resolves once it printed its `listening on` line (rejecting after
 * `startTimeoutMs` without one).
 */
export async function startChildServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  limits: ChildLimits = {},
  startTimeoutMs = 10_000,
): Promise<ChildServer> {
  // The line driver is off unless the test asks for it, so children never fight over port 4000;
  // HTTP takes any free port unless the test chose one, by flag or by variable.
  const tcp = args.includes('--tcp-port') ? [] : ['--tcp-port', '0'];
  const portChosen = ['-p', '--port'].some((flag) => args.includes(flag));
  const port =
    portChosen || env.PARLEY_PORT !== undefined || env.PORT !== undefined ? [] : ['-p', '0'];
  const child = spawnMain([...port, ...tcp, ...abuseLimitsOff(args, env), ...args], env, limits);
  const output = capture(child);
  const exited = exitOf(child);
  const url = await listeningUrl(child, output, exited, startTimeoutMs);
  return { process: child, url, port: Number(new URL(url).port), exited, ...output };
}

/**
 * Tests send fast from one address: the abuse limits are off in child servers, as in
 * startTestServer, unless the test sets them (by flag or variable). test/e2e/rate-limits and
 * address-limits turn them on; `npm start` children (startViaNpm) keep the real defaults.
 */
function abuseLimitsOff(args: string[], env: NodeJS.ProcessEnv): string[] {
  return [
    ['--rate-limit', 'PARLEY_RATE_LIMIT'],
    ['--max-connections-per-ip', 'PARLEY_MAX_CONNECTIONS_PER_IP'],
    ['--room-creation-rate', 'PARLEY_ROOM_CREATION_RATE'],
  ].flatMap(([flag = '', variable = '']) =>
    args.includes(flag) || env[variable] !== undefined ? [] : [flag, '0'],
  );
}

/** Parley started the way a new user starts it: `npm start`, as the leader of its own group. */
export interface NpmServer extends ChildServer {
  /** The pid of the node process serving, npm's child. */
  readonly serverPid: number;
}

/**
 * Runs `npm start -- <args>` in the repository, detached into its own process group (as a
 * terminal or a supervisor runs it), and resolves once the server printed its `listening on`.
 */
export async function startViaNpm(args: string[]): Promise<NpmServer> {
  const child = spawn('npm', ['start', '--', '-p', '0', '--tcp-port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  groups.add(child);
  child.once('exit', () => {
    if (!killGroup(child, 0)) groups.delete(child);
  });
  const output = capture(child);
  const exited = exitOf(child);
  const url = await listeningUrl(child, output, exited, 60_000);
  return {
    process: child,
    url,
    port: Number(new URL(url).port),
    exited,
    serverPid: await childPidOf(child.pid!),
    ...output,
  };
}

// Linux lists a process's children in /proc; the server is npm's child, or a shell's under it.
async function childPidOf(pid: number): Promise<number> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
  const [first] = children.trim().split(/\s+/);
  if (first === undefined || first === '') throw new Error(`process ${pid} has no child`);
  const command = (await readFile(`/proc/${first}/comm`, 'utf8')).trim();
  return command === 'sh' ? childPidOf(Number(first)) : Number(first);
}

function listeningUrl(
  child: ChildProcess,
  output: { stdout: () => string; stderr: () => string },
  exited: Promise<number | string>,
  timeoutMs: number,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line; stderr: ${output.stderr()}`)),
      timeoutMs,
    );
    const check = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(output.stdout());
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) =>
      reject(new Error(`exited ${code} before listening: ${output.stderr()}`)),
    );
  });
}

// prlimit (util-linux) sets the limit and then execs node, so the child's pid is node's.
function spawnMain(args: string[], env: NodeJS.ProcessEnv, limits: ChildLimits = {}): ChildProcess {
  const node = [process.execPath, MAIN, ...args];
  const prlimit = [
    ...(limits.fileSizeBytes === undefined ? [] : [`--fsize=${limits.fileSizeBytes}`]),
    ...(limits.openFiles === undefined ? [] : [`--nofile=${limits.openFiles}`]),
  ];
  const [command, ...rest] = prlimit.length === 0 ? node : ['prlimit', ...prlimit, ...node];
  const child = spawn(command!, rest, {
    env: { ...process.env, PORT: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function capture(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

function exitOf(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
}
