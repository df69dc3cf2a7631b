/** What a line reader hands on. */
export interface LineSink {
  /** One complete line, without its ending; invalid UTF-8 replaced by U+FFFD. */
  line(text: string): void;
  /** A line grew past the limit: it is dropped whole, up to its ending. */
  tooLong(limitBytes: number): void;
  /**
   * Asked after each line: while true, the reader keeps the rest of what it was given and hands
   * on nothing more until `resume()` (backpressure inside one chunk, which can hold thousands
   * of lines).
   */
  isPaused(): boolean;
  /**
   * Asked when a line's first byte other than blanks is `{`: true when a JSON object there is a
   * line of its own, ending at its closing brace whether or not a line end follows (MaChat's
   * handshake is written with none, and its first lines may follow in the same segment).
   */
  objectEndsLine?(): boolean;
}

const NUL = 0x00;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
const DONT = 0xfe;
/** The lowest telnet command byte (SE); IAC followed by anything lower is not telnet. */
const FIRST_COMMAND = 0xf0;

/** Where the reader is inside a telnet command (RFC 854), if it is in one. */
type TelnetState = 'data' | 'command' | 'option' | 'subnegotiation' | 'subnegotiation-iac';

/**
 * Where the reader is in a JSON object that ends its line at its closing brace: how deep in
 * braces, and whether inside a string (where braces do not count) just after a backslash. UTF-8
 * continuation bytes are never ASCII, so counting bytes is exact.
 */
interface ObjectState {
  depth: number;
  inString: boolean;
  escaped: boolean;
}

/**
 * Splits a TCP byte stream into text lines for the line transports (telnet, netcat, MaChat).
 * Lines end with LF or CRLF; telnet negotiation (IAC sequences) is dropped wherever it falls,
 * across chunk boundaries too; a line longer than `maxBytes` is refused, not split; bytes that
 * are not UTF-8 are replaced, never fatal.
 *
 * A LF always ends the line, even in the middle of what looks like a telnet command: Latin-1
 * text from nc holds 0xFF (IAC) followed by anything, and must not swallow a line end. Parley
 * negotiates no telnet option, so no real client sends a subnegotiation that holds one.
 */
export class LineReader {
  private line = Buffer.alloc(256);
  private length = 0;
  /** CRs seen since the last other byte: dropped if a LF follows, text if anything else does. */
  private carriageReturns = 0;
  private overflowing = false;
  private telnet: TelnetState = 'data';
  /** Only blanks kept in the line so far. */
  private blank = true;
  private object: ObjectState | undefined;
  /** Bytes given but not read yet, because the sink paused. */
  private held: Buffer | undefined;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    private readonly maxBytes: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    if (this.held === undefined) this.read(chunk);
    else this.held = Buffer.concat([this.held, chunk]); // keeps arriving order
  }

  /** True while bytes given to the reader wait for the sink to take lines again. */
  get isHolding(): boolean {
    return this.held !== undefined;
  }

  /** Reads on through what was held when the sink paused (if it takes lines again). */
  resume(): void {
    if (this.sink.isPaused()) return;
    const held = this.held;
    this.held = undefined;
    if (held !== undefined) this.read(held);
  }

  private read(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      let ended = false;
      if (byte === LF) {
        this.telnet = 'data';
        this.endLine();
        ended = true;
      } else if (this.telnet !== 'data' || byte === IAC) this.negotiate(byte);
      else ended = this.keep(byte);
      if (ended && this.sink.isPaused() && i + 1 < chunk.length) {
        this.held = chunk.subarray(i + 1);
        return;
      }
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
        else if (byte >= FIRST_COMMAND)
          this.telnet = 'data'; // a two-byte command, or IAC IAC
        else {
          // IAC then a byte no command has: not telnet at all (Latin-1 ÿ), both are text
          this.telnet = 'data';
          this.keep(IAC);
          this.keep(byte);
        }
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

  /** Keeps one byte of text; true when it ended the line (a JSON object's closing brace). */
  private keep(byte: number): boolean {
    if (this.overflowing || byte === NUL) return false; // telnet's CR NUL is a bare CR
    if (byte === CR) {
      this.carriageReturns++;
      return false;
    }
    for (; this.carriageReturns > 0 && !this.overflowing; this.carriageReturns--) this.append(CR);
    this.append(byte);
    if (this.blank && byte !== SPACE && byte !== TAB) {
      this.blank = false;
      if (byte === OPEN_BRACE && this.sink.objectEndsLine?.() === true) {
        this.object = { depth: 0, inString: false, escaped: false };
      }
    }
    if (this.object === undefined || !closesObject(this.object, byte)) return false;
    this.endLine();
    return true;
  }

  private append(byte: number): void {
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

  // Every trailing CR goes, uncounted: a terminal that sends CRLF for Enter, piped through
  // telnet (which turns LF into CRLF), ends its lines with CR CR LF.
  private endLine(): void {
    const overflowed = this.overflowing || this.length > this.maxBytes;
    if (overflowed && !this.overflowing) this.sink.tooLong(this.maxBytes);
    if (!overflowed) this.sink.line(this.decoder.decode(this.line.subarray(0, this.length)));
    this.length = 0;
    this.carriageReturns = 0;
    this.overflowing = false;
    this.blank = true;
    this.object = undefined;
  }
}

/** Follows one byte of a JSON object; true when it is the brace that closes the object. */
function closesObject(object: ObjectState, byte: number): boolean {
  if (object.inString) {
    if (object.escaped) object.escaped = false;
    else if (byte === BACKSLASH) object.escaped = true;
    else if (byte === QUOTE) object.inString = false;
    return false;
  }
  if (byte === QUOTE) object.inString = true;
  else if (byte === OPEN_BRACE) object.depth++;
  else if (byte === CLOSE_BRACE) object.depth--;
  return object.depth === 0 && byte === CLOSE_BRACE;
}
