import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { CloseCode } from '../platform/protocol/close-codes.js';
import { ERROR_CATALOGUE } from '../platform/protocol/error-catalogue.js';

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The rows of every Markdown table in the text, each as its trimmed cells. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.trimStart().startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

/** Documentation that must stay true to the code. */
describe('Documentation', () => {
  it('docs/protocol.md lists every error code with its HTTP status and close code', async () => {
    const protocol = await read('docs/protocol.md');
    const section = protocol.slice(
      protocol.indexOf('## Error codes'),
      protocol.indexOf('## Close codes'),
    );
    const rows = tableRows(section);
    for (const [code, form] of Object.entries(ERROR_CATALOGUE)) {
      const row = rows.find((cells) => cells[0] === `\`${code}\``);
      expect(row, `a table row for ${code}`).to.be.an('array');
      expect(row?.[1], `HTTP status of ${code}`).to.equal(String(form.status));
      expect(row?.[2], `close code of ${code}`).to.equal(
        form.close === undefined ? '—' : String(form.close),
      );
    }
  });

  it('docs/protocol.md lists every close code and every event type', async () => {
    const protocol = await read('docs/protocol.md');
    const firstCells = tableRows(protocol).map((cells) => cells[0]);
    for (const code of Object.values(CloseCode)) expect(firstCells).to.include(String(code));
    for (const type of [
      'participant_joined',
      'participant_left',
      'participants_changed',
      'message',
      'server_shutting_down',
      'error',
      'rooms',
      'participants',
    ]) {
      expect(protocol).to.contain(`#### \`${type}\``);
    }
    for (const type of [
      'help',
      'history',
      'goodbye',
      'ignored',
      'joined_room',
      'private_message',
      'participant_renamed',
    ])
      expect(protocol).to.contain(`\`${type}\``);
  });

  it('the README shows the two-command quick start and the test command', async () => {
    const readme = await read('README.md');
    expect(readme).to.contain('npm ci && npm start').and.contain('npm ci && npm test');
  });
});
