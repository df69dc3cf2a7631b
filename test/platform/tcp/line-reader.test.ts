import { expect } from 'chai';
import { LineReader } from '../../../platform/tcp/line-reader.js';

function reader(maxBytes = 16) {
  const lines: string[] = [];
  const refusals: number[] = [];
  const state = { paused: false, objects: false };
  const lineReader = new LineReader(maxBytes, {
    line: (text) => lines.push(text),
    tooLong: (limit) => refusals.push(limit),
    isPaused: () => state.paused,
    objectEndsLine: () => state.objects,
  });
  return {
    lines,
    refusals,
    state,
    push: (bytes: Buffer | string) => lineReader.push(Buffer.from(bytes)),
    resume: () => lineReader.resume(),
  };
}

describe('LineReader (TCP line framing)', () => {
  it('splits on LF and CRLF, across chunk boundaries, keeping empty lines', () => {
    const r = reader();
    r.push('one\r\ntw');
    r.push('o\n\r\nthr');
    expect(r.lines).to.deep.equal(['one', 'two', '']);
    r.push('ee\r');
    r.push('\n');
    expect(r.lines).to.deep.equal(['one', 'two', '', 'three']);
  });

  it('takes CR CR LF (a terminal piped through telnet) and telnet CR NUL as plain line ends', () => {
    const r = reader();
    r.push('Ann\r\r\nLobby\r\0\nhi\0 there\n');
    expect(r.lines).to.deep.equal(['Ann', 'Lobby', 'hi there']);
  });

  it('drops telnet negotiation wherever it falls, even split across chunks', () => {
    const r = reader();
    const IAC = 0xff;
    r.push(Buffer.from([IAC, 0xfb, 0x01, 0x68, 0x69, IAC])); // WILL ECHO, "hi", IAC…
    r.push(Buffer.from([0xfd, 0x03, 0x21, 0x0a])); // …DO SUPPRESS-GO-AHEAD, "!"
    r.push(Buffer.from([IAC, 0xfa, 0x18, 0x00, 0x41, IAC, 0xf0, 0x6f, 0x6b, 0x0a])); // SB … SE, "ok"
    r.push(Buffer.from([0x61, IAC, 0xf1, 0x62, 0x0a])); // a NOP in the middle of "ab"
    expect(r.lines).to.deep.equal(['hi!', 'ok', 'ab']);
  });

  it('refuses a line over the limit once, whole, and goes on with the next line', () => {
    const r = reader(8);
    r.push('12345678\r\n'); // exactly the limit: kept
    r.push('123456789\n'); // one over
    r.push('x'.repeat(50));
    r.push('y'.repeat(50) + '\nafter\n');
    expect(r.lines).to.deep.equal(['12345678', 'after']);
    expect(r.refusals).to.deep.equal([8, 8]);
  });

  it('replaces invalid UTF-8 instead of failing, and keeps multi-byte characters split across chunks', () => {
    const r = reader(64);
    r.push(Buffer.from([0x61, 0xc3, 0x28, 0x62, 0x0a]));
    const snowman = Buffer.from('☃\n');
    r.push(snowman.subarray(0, 1));
    r.push(snowman.subarray(1));
    expect(r.lines).to.deep.equal(['a\ufffd(b', '☃']);
  });

  it('does not count the CRs that end a line: a line of exactly the limit may end CR CR LF', () => {
    const r = reader(8);
    r.push('12345678\r\r\n123456789\r\n');
    expect(r.lines).to.deep.equal(['12345678']);
    expect(r.refusals).to.deep.equal([8]);
  });

  it('keeps a CR inside a line as text', () => {
    const r = reader();
    r.push('a\rb\r\n');
    expect(r.lines).to.deep.equal(['a\rb']);
  });

  it('ends the line at a LF even inside a telnet command (Latin-1 "ÿþ" before the line end)', () => {
    const r = reader();
    r.push(Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x0a, 0x6f, 0x6b, 0x0a]));
    expect(r.lines).to.deep.equal(['hi', 'ok']);
  });

  it('keeps IAC and the byte after it as text when no telnet command has that byte (Latin-1 "ÿa")', () => {
    const r = reader();
    r.push(Buffer.from([0xff, 0x61, 0x0a]));
    expect(r.lines).to.deep.equal(['\uFFFDa']);
  });

  it('stops after the line its sink paused on, keeps the rest in order, and reads on when resumed', () => {
    const r = reader();
    r.state.paused = true;
    r.push('one\ntwo\nthr');
    expect(r.lines).to.deep.equal(['one']);
    r.push('ee\n'); // arrives while paused: kept behind the rest
    r.resume();
    expect(r.lines, 'still paused: resume does nothing').to.deep.equal(['one']);
    r.state.paused = false;
    r.resume();
    expect(r.lines).to.deep.equal(['one', 'two', 'three']);
  });

  describe('a JSON object as a line of its own (MaChat writes its handshake with no line end)', () => {
    it('ends the line at the closing brace, and reads what follows in the same chunk as lines', () => {
      const r = reader(256);
      r.state.objects = true;
      // the bytes MaChat's TCP client sent when stdin was already full (chattcpclient.go:43,48)
      r.push('{"name":"fast","room":"r"}one\ntwo\n');
      expect(r.lines).to.deep.equal(['{"name":"fast","room":"r"}', 'one', 'two']);
    });

    it('counts braces only outside strings, escaped quotes included, across chunks', () => {
      const r = reader(256);
      r.state.objects = true;
      r.push('  {"name":"a}\\"}","room":{"x":"{"');
      expect(r.lines).to.deep.equal([]);
      r.push('}}rest\n');
      expect(r.lines).to.deep.equal(['  {"name":"a}\\"}","room":{"x":"{"}}', 'rest']);
    });

    it('leaves a brace to its line end when the sink does not expect an object', () => {
      const r = reader(256);
      r.push('{"name":"a","room":"b"}tail\n');
      expect(r.lines).to.deep.equal(['{"name":"a","room":"b"}tail']);
    });

    it('still ends an unbalanced object at a LF, and a brace later in a line is text', () => {
      const r = reader(256);
      r.state.objects = true;
      r.push('{"name":\nhi {x}\n');
      expect(r.lines).to.deep.equal(['{"name":', 'hi {x}']);
    });

    it('stops after an object its sink paused on, and reads on when resumed', () => {
      const r = reader(256);
      r.state.objects = true;
      r.state.paused = true;
      r.push('{"a":1}one\n');
      expect(r.lines).to.deep.equal(['{"a":1}']);
      r.state.paused = false;
      r.resume();
      expect(r.lines).to.deep.equal(['{"a":1}', 'one']);
    });
  });
});
