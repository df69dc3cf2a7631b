import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** How to get the browser the tests drive (Debian's Chromium, as CI installs it). */
export const INSTALL_CHROMIUM =
  'apt-get install -y chromium (or set PARLEY_CHROMIUM to a Chromium binary)';

/** The Chromium to drive: `PARLEY_CHROMIUM`, else Debian's `/usr/bin/chromium`, if it exists. */
export function chromiumPath(): string | undefined {
  const path = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

/**
 * Launches headless Chromium for a suite (one browser per file; a context per test). Without
 * one, the suite is skipped with the line that installs it — except under `CI=true`, where a
 * missing browser fails the run rather than quietly testing less.
 */
export async function launchChromium(context: Mocha.Context): Promise<Browser> {
  const path = chromiumPath();
  if (path === undefined) {
    if (process.env.CI === 'true')
      throw new Error(`no Chromium for the browser tests: ${INSTALL_CHROMIUM}`);
    console.warn(`      browser tests skipped: no Chromium. Install it: ${INSTALL_CHROMIUM}`);
    context.skip();
  }
  return chromium.launch({ executablePath: path, headless: true, args: ['--no-sandbox'] });
}
