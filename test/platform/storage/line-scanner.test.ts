import { expect } from 'chai';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scanLines, type ScanOptions } from '../../../platform/storage/file/line-scanner.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** Chunks of 4 bytes, lines of at most 10: every line below crosses a chunk boundary. */
const TINY: ScanOptions = { chunkBytes: 4, maxLineBytes: 10 };

interface Seen {
  text: string | undefined;
  line: number;
  offset: number;
  length: number;
}

async function scan(content: string | Buffer, options = TINY) {
  const dir = await makeTempDir();
  const path = join(dir.path, 'file.jsonl');
  await writeFile(path, content);
  const handle = await open(path, 'r');
  const seen: Seen[] = [];
  try {
    const end = await scanLines(
      handle,
      (bytes, line, offset, length) =>
        seen.push({ text: bytes?.toString('utf8'), line, offset, length }),
      options,
    );
    return { seen, end: { ...end, tail: end.tail?.toString('utf8') } };
  } finally {
    await handle.close();
    await dir.remove();
  }
}

describe('scanLines', () => {
  it('hands over each line whole, with where it lies, even when it spans chunks', async () => {
    const { seen, end } = await scan('ab\n123456789\n\nxyz\n');
    expect(seen).to.deep.equal([
      { text: 'ab', line: 1, offset: 0, length: 3 },
      { text: '123456789', line: 2, offset: 3, length: 10 },
      { text: '', line: 3, offset: 13, length: 1 },
      { text: 'xyz', line: 4, offset: 14, length: 4 },
    ]);
    expect(end).to.deep.equal({ complete: 18, size: 18, lines: 4, tail: undefined });
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    const { seen } = await scan('é😀\nü\n');
    expect(seen.map((s) => s.text)).to.deep.equal(['é😀', 'ü']);
    expect(seen.map((s) => s.length)).to.deep.equal([7, 3]);
  });

  it('skips a byte order mark at the start, and only there', async () => {
    const { seen } = await scan('\uFEFFab\n\uFEFFc\n');
    expect(seen).to.deep.equal([
      { text: 'ab', line: 1, offset: 3, length: 3 },
      { text: '\uFEFFc', line: 2, offset: 6, length: 5 },
    ]);
  });

  it('reports a line longer than the maximum without assembling it, and goes on', async () => {
    const { seen } = await scan(`ab\n${'x'.repeat(25)}\ncd\n`);
    expect(seen.map((s) => [s.text, s.offset, s.length])).to.deep.equal([
      ['ab', 0, 3],
      [undefined, 3, 26],
      ['cd', 29, 3],
    ]);
  });

  it('returns the unfinished last line apart, unless it is too long to be a record', async () => {
    expect((await scan('ab\n{"x":')).end).to.deep.equal({
      complete: 3,
      size: 8,
      lines: 1,
      tail: '{"x":',
    });
    expect((await scan(`ab\n${'x'.repeat(25)}`)).end).to.include({ complete: 3, size: 28 });
    expect((await scan(`ab\n${'x'.repeat(25)}`)).end.tail).to.equal(undefined);
    expect((await scan('')).end).to.deep.equal({ complete: 0, size: 0, lines: 0, tail: undefined });
  });
});
