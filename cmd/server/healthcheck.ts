#!/usr/bin/env node
import { readFileSync, readlinkSync } from 'node:fs';
import { parseCommandLine } from './cli.js';
import { parleyVersion } from './version.js';

/**
 * The Docker HEALTHCHECK: asks a running Parley's own `/healthz`, on the port that server was
 * configured with. `healthcheck.js --pid 1` reads the flags, environment and working directory of
 * that process (the server is PID 1 in the container), so `docker run parley --port 9000` or
 * `-e PARLEY_PORT=9000` are checked on 9000; `healthcheck.js <flags>` takes the flags itself.
 * Exits 0 when the server answers `{"status":"ok"}`, 1 otherwise, with the reason on stderr.
 * Liveness, not readiness: a node that sheds or shuts down is not to be restarted for it.
 * @example node dist/cmd/server/healthcheck.js --pid 1
 */
async function healthcheck(argv: readonly string[]): Promise<number> {
  const args = argv[0] === '--pid' ? adoptSettings(Number(argv[1])) : argv;
  let problems = ''; // warnings are the server's to give, not every health check's
  const quiet = { out: () => undefined, err: (text: string) => (problems += text) };
  const outcome = parseCommandLine(args, quiet, parleyVersion());
  if (outcome.kind === 'exit') return unhealthy(`the server's settings: ${problems.trim()}`);
  const { host, port } = outcome.config;
  if (port === 0) return unhealthy('the server was given port 0 (any free port): no port to ask');
  const url = `http://${connectable(host)}:${port}/healthz`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = await response.text();
    if (response.ok && body === '{"status":"ok"}') return 0;
    return unhealthy(`${url} answered ${response.status} ${body.slice(0, 80)}`);
  } catch (error) {
    return unhealthy(`${url}: ${(error as Error).message}`);
  }
}

/** Below Docker's default 30 s HEALTHCHECK timeout and the Dockerfile's 3 s. */
const TIMEOUT_MS = 2500;

/**
 * Takes on a process's settings and returns its command-line flags (what follows the script it
 * runs). Its environment and working directory become this process's own: the option parser
 * reads variables from `process.env`, and a relative `--config` path must mean the same file.
 */
function adoptSettings(pid: number): string[] {
  const words = (file: string) => readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0');
  const command = words('cmdline');
  const script = command.findIndex((word, i) => i > 0 && !word.startsWith('-'));
  const environment = words('environ').filter((entry) => entry.includes('='));
  for (const name of Object.keys(process.env)) delete process.env[name];
  for (const entry of environment)
    process.env[entry.slice(0, entry.indexOf('='))] = entry.slice(entry.indexOf('=') + 1);
  process.chdir(readlinkSync(`/proc/${pid}/cwd`));
  return command.slice(script + 1).filter((word) => word !== '');
}

// A server listening on every address is reached on loopback.
function connectable(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function unhealthy(reason: string): number {
  process.stderr.write(`unhealthy: ${reason}\n`);
  return 1;
}

process.exitCode = await healthcheck(process.argv.slice(2));
