import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../support/child-server.js';

// swagger-ui-dist depends on @scarf/scarf, whose postinstall reports every install to scarf.sh.
const SCARF = join(ROOT, 'node_modules', '@scarf', 'scarf');

describe('Installing (npm ci) sends nothing anywhere', () => {
  it('package.json opts out of Scarf, the install telemetry swagger-ui-dist pulls in', async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      scarfSettings?: { enabled?: boolean };
    };
    expect(manifest.scarfSettings).to.deep.equal({ enabled: false });
  });

  it("Scarf's postinstall, run as npm ci runs it, reports nothing", async function () {
    if (!existsSync(SCARF)) this.skip(); // nothing depends on it any more
    this.timeout(30_000);
    const requests: string[] = [];
    const collector = await listen(
      createServer((request, response) => {
        requests.push(`${request.method} ${request.url}`);
        response.end();
      }),
    );
    try {
      // SCARF_LOCAL_PORT is Scarf's own switch to report to localhost instead of scarf.sh.
      const output = await postinstall((collector.address() as AddressInfo).port);
      expect(requests, output).to.deep.equal([]);
      expect(output).to.match(/Scarf has been disabled|User has opted out/); // it read the opt-out
    } finally {
      collector.close();
    }
  });
});

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, 'localhost', () => resolve(server)));
}

/** Runs @scarf/scarf's postinstall script with npm's environment for an install in ROOT. */
function postinstall(port: number): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    INIT_CWD: ROOT,
    SCARF_LOCAL_PORT: String(port),
    SCARF_VERBOSE: 'true',
  };
  for (const optOut of ['SCARF_ANALYTICS', 'SCARF_NO_ANALYTICS', 'DO_NOT_TRACK'])
    delete env[optOut];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(SCARF, 'report.js')], { cwd: SCARF, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(output));
  });
}
