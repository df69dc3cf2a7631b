import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/child-server.js';

describe('npm run chat (cmd/chat/start.mjs)', function () {
  this.timeout(30_000);

  it('runs the terminal client with the arguments after --', () => {
    const run = spawnSync('npm', ['run', '-s', 'chat', '--', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^Usage: parley-chat \[options\]/);
    expect(run.stdout).to.include('--tcp <host:port>');
  });

  it('passes a usage error through as exit code 2', () => {
    const run = spawnSync('npm', ['run', '-s', 'chat', '--', '--tcp', 'nowhere'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('expected HOST:PORT');
  });
});
