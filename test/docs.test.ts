import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from '../cmd/server/cli.js';
import { CloseCode } from '../platform/protocol/close-codes.js';
import { ERROR_CATALOGUE } from '../platform/protocol/error-catalogue.js';
import { END_MARKER, START_MARKER, withOptionsTable } from '../tools/generate-options-table.js';
import { withEnvironment } from './support/environment.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(join(ROOT, path), 'utf8');

/** README.md and every Markdown file under docs/, as paths from the repository root. */
async function markdownFiles(): Promise<string[]> {
  const docs = await readdir(join(ROOT, 'docs'), { recursive: true });
  return ['README.md', ...docs.filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
}

/** The targets of inline links and images (`[text](target)`) and of reference definitions. */
function linkTargets(markdown: string): string[] {
  const inline = [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const references = [...markdown.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)];
  return [...inline, ...references].map((match) => match[1]!);
}

/** A link into the repository rather than to a page elsewhere or a heading of the same file. */
const isRelative = (target: string) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(target);

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

/** Each option's flags and the default it shows, as `--help` prints them. */
function helpDefaults(): Map<string, string | undefined> {
  let help = '';
  const output = { out: (text: string) => (help += text), err: () => undefined };
  withEnvironment({}, () => parseCommandLine(['--help'], output, '0.0.0'));
  const section = help.slice(help.indexOf('Options:\n') + 'Options:\n'.length).split('\n\n')[0]!;
  // An option starts at a line indented by two spaces; deeper lines continue its description.
  const entries = section.split(/\n(?= {2}-)/).map((entry) => entry.trim());
  return new Map(
    entries.map((entry) => {
      const [flags = '', ...description] = entry.split(/\s{2,}/);
      const shown = /\(default: ("[^"]*"|[^,)]+)/.exec(description.join(' '));
      return [flags, shown?.[1]];
    }),
  );
}

/** Each option's flags and default as the README's options table gives them. */
function readmeDefaults(readme: string): Map<string, string | undefined> {
  const table = readme.slice(readme.indexOf(START_MARKER), readme.indexOf(END_MARKER));
  const plain = (cell: string) => cell.replace(/^`|`$/g, '');
  const rows = tableRows(table.replaceAll('\\|', '\u0000')).slice(2); // below the header
  return new Map(
    rows.map((cells) => {
      const [flags = '', , , shown = ''] = cells.map((c) => plain(c).replaceAll('\u0000', '|'));
      return [flags, shown === '' ? undefined : shown];
    }),
  );
}

/** Documentation that must stay true to the code. */
describe('Documentation', () => {
  it('docs/protocol.md lists every error code with its HTTP status, close code, TCP line and SSE event', async () => {
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
      const ends = form.close !== undefined;
      if (form.httpOnly === true) continue; // it answers a request, never a session
      expect(row?.[3], `TCP form of ${code}`).to.equal(
        ends ? '`! error …`, closed' : '`! error …`',
      );
      expect(row?.[4], `SSE form of ${code}`).to.equal(
        ends ? '`error` event, stream ends' : '`error` event',
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
      'announcement',
      'room_closed',
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

  it('every relative link in README.md and docs/ points to a file in the repository', async () => {
    const broken: string[] = [];
    for (const file of await markdownFiles()) {
      for (const target of linkTargets(await read(file)).filter(isRelative)) {
        const path = resolve(ROOT, dirname(file), decodeURIComponent(target.split('#')[0]!));
        const inside = !relative(ROOT, path).startsWith('..');
        if (!inside || !existsSync(path)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).to.deep.equal([]);
  });

  it('the README options table is the one made from platform/config/options.ts (npm run docs:options)', async () => {
    const readme = await read('README.md');
    const current = await withOptionsTable(readme);
    expect(readme === current, 'README.md is stale: run npm run docs:options').to.equal(true);
  });

  it('--help and the README list the same options with the same defaults', async () => {
    const help = helpDefaults();
    const readme = readmeDefaults(await read('README.md'));
    expect(help.size).to.be.greaterThan(25);
    const sorted = (map: Map<string, string | undefined>) =>
      [...map].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(sorted(readme)).to.deep.equal(sorted(help));
  });

  it('the README shows the two-command quick start and the test command', async () => {
    const readme = await read('README.md');
    expect(readme).to.contain('npm ci && npm start').and.contain('npm ci && npm test');
  });
});
