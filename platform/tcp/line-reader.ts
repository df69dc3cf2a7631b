/** What a line reader hands on. */
export interface LineSink {
  /** One complete line, without its ending; invalid UTF-8 replaced by U+FFFD. */
  line(text: string): void;
  /** A line grew past the limit: it is dropped whole, up to its ending. */
  tooLong(limitBytes: number): void;
}

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
const DONT = 0xfe;

/** Where the reader is inside a telnet command (RFC 854), if it is in one. */
type TelnetState = 'data' | 'command' | 'option' | 'subnegotiation' | 'subnegotiation-iac';

/**
 * Splits a TCP byte stream into text lines for the line transports (telnet, netcat, MaChat).
 * Lines end with LF or CRLF; telnet negotiation (IAC sequences) is dropped wherever it falls,
 * across chunk boundaries too; a line longer than `maxBytes` is refused, not split; bytes that
 * are not UTF-8 are replaced, never fatal.
 */
export class LineReader {
  private line = Buffer.alloc(256);
  private length = 0;
  private overflowing = false;
  private telnet: TelnetState = 'data';
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    private readonly maxBytes: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    for (const byte of chunk) {
      if (this.telnet !== 'data' || byte === IAC) this.negotiate(byte);
      else if (byte === LF) this.endLine();
      else this.keep(byte);
    }
  }

  private negotiate(byte: number): void {
    switch (this.telnet) {
      case 'data':
        this.telnet = 'command'; // byte is IAC
        return;
      case 'command':
        if (byte === SB) this.telnet = 'subnegotiation';
        else if (byte >= WILL && byte <= DONT) this.telnet = 'option';
        else this.telnet = 'data'; // a two-byte command (or IAC IAC: a 0xFF byte, never UTF-8)
        return;
      case 'option':
        this.telnet = 'data';
        return;
      case 'subnegotiation':
        if (byte === IAC) this.telnet = 'subnegotiation-iac';
        return;
      case 'subnegotiation-iac':
        this.telnet = byte === SE ? 'data' : 'subnegotiation';
        return;
    }
  }

  private keep(byte: number): void {
    if (this.overflowing || byte === NUL) return; // telnet's CR NUL is a bare CR; NUL is no text
    if (this.length >= this.maxBytes + 1) {
      this.overflowing = true;
      this.sink.tooLong(this.maxBytes);
      return;
    }
    if (this.length === this.line.length) {
      const grown = Buffer.alloc(Math.min(this.line.length * 2, this.maxBytes + 2));
      this.line.copy(grown);
      this.line = grown;
    }
    this.line[this.length++] = byte;
  }

  private endLine(): void {
    // Every trailing CR goes: a terminal that sends CRLF for Enter, piped through telnet (which
    // turns LF into CRLF), ends its lines with CR CR LF.
    let end = this.length;
    while (end > 0 && this.line[end - 1] === CR) end--;
    const overflowed = this.overflowing || end > this.maxBytes;
    if (overflowed && !this.overflowing) this.sink.tooLong(this.maxBytes);
    if (!overflowed) this.sink.line(this.decoder.decode(this.line.subarray(0, end)));
    this.length = 0;
    this.overflowing = false;
  }
}
