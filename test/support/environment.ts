/**
 * Runs `body` with exactly these Parley variables in `process.env` — every other `PARLEY_*`
 * and `PORT` taken out — and puts the environment back afterwards. The option parser reads
 * `process.env` itself (commander does), and mocha runs one test at a time.
 */
export function withEnvironment<T>(variables: Record<string, string>, body: () => T): T {
  const saved = Object.entries(process.env).filter(([name]) => isParleys(name));
  for (const [name] of saved) delete process.env[name];
  Object.assign(process.env, variables);
  try {
    return body();
  } finally {
    for (const name of Object.keys(process.env).filter(isParleys)) delete process.env[name];
    Object.assign(process.env, Object.fromEntries(saved));
  }
}

function isParleys(name: string): boolean {
  return name === 'PORT' || name.startsWith('PARLEY_');
}
