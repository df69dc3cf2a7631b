import { expect } from 'chai';
import { runCli } from '../support/child-server.js';

describe('--procs (worker processes on one port)', function () {
  this.timeout(20_000);

  for (const storage of ['file', 'memory']) {
    it(`is refused with ${storage} storage, saying what it needs`, async () => {
      const { code, stderr } = await runCli(['--procs', '2', '--storage', storage, '-p', '0']);
      expect(code).to.equal(2);
      expect(stderr).to.contain('--procs 2 needs --storage redis');
      expect(stderr).to.contain(`${storage} storage belongs to one process`);
    });
  }

  it('takes -X, chattypantz’s flag, and PARLEY_PROCS alike', async () => {
    const byFlag = await runCli(['-X', '3', '--storage', 'memory']);
    const byVariable = await runCli(['--storage', 'memory'], { PARLEY_PROCS: '3' });
    for (const run of [byFlag, byVariable]) {
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('--procs 3 needs --storage redis');
    }
  });
});
