import { expect } from 'chai';
import {
  END_MARKER,
  optionRows,
  START_MARKER,
  withOptionsTable,
} from '../../tools/generate-options-table.js';

describe('tools/generate-options-table', () => {
  it('writes a row per option: flags, variables, config key, default as typed, help and docs link', () => {
    const rows = optionRows();
    expect(rows.find((row) => row[0] === '`-p, --port <port>`')).to.deep.equal([
      '`-p, --port <port>`',
      '`PARLEY_PORT`, `PORT`',
      '`port`',
      '`8080`',
      'port for HTTP and WebSocket; 0 picks a free one and prints it',
    ]);
    const idle = rows.find((row) => row[0] === '`-i, --idle <seconds>`');
    expect(idle?.slice(1, 4)).to.deep.equal(['`PARLEY_IDLE`', '`idle`', '`0`']);
    const retention = rows.find((row) => row[0] === '`--retention <n>`');
    expect(retention?.[4]).to.contain('([retention](docs/protocol.md#retention))');
  });

  it('escapes the pipe of a switch, which would otherwise end the cell', () => {
    expect(optionRows().map((row) => row[0])).to.include('`-d, --debug [on\\|off]`');
  });

  it('ends with the flags only the command line takes, with no variable, key or default', () => {
    expect(optionRows().slice(-3)).to.deep.equal([
      ['`-c, --config <file>`', '', '', '', 'JSON file of settings (see below)'],
      ['`-V, --version`', '', '', '', 'print the version and exit'],
      ['`-h, --help`', '', '', '', 'print this help and exit'],
    ]);
  });

  it('replaces only what lies between the markers', async () => {
    const readme = `# Title\n\n${START_MARKER}\nold table\n${END_MARKER}\n\nAfter.\n`;
    const written = await withOptionsTable(readme);
    expect(written).to.match(/^# Title\n\n<!-- options:start[^\n]*-->\n\n\| flag +\| variable/);
    expect(written).not.to.contain('old table');
    expect(written.endsWith(`|\n\n${END_MARKER}\n\nAfter.\n`)).to.equal(true);
    expect(await withOptionsTable(written)).to.equal(written);
  });

  it('refuses a README without the markers', async () => {
    let refusal: unknown;
    await withOptionsTable('# No table here\n').catch((error: unknown) => (refusal = error));
    expect(refusal).to.be.an('error').with.property('message').that.contains('options:start');
  });
});
