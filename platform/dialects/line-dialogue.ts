import { isChatError } from '../../business/chat/chat-error.js';
import { parseInput } from '../../business/chat/command.js';
import { parseNickname } from '../../business/chat/nickname.js';
import type { Origin } from '../../business/chat/participant.js';
import { roomReference } from '../../business/chat/room.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { ClientSession } from '../connections/client-session.js';
import { WireError } from '../protocol/error-catalogue.js';
import { CloseCode } from '../protocol/close-codes.js';
import type { WireErrorCode } from '../protocol/error-catalogue.js';
import { renderAnnouncement } from './line-format.js';
import type { LineRenderer } from './line-renderer.js';
import { HANDSHAKE_SYNTAX, looksLikeHandshake, parseHandshake } from './machat-handshake.js';

/** Who may be on the other end, which decides how the dialogue opens. */
export type LineOpening =
  /**
   * A TCP client: MaChat if its first line is a JSON object (the server waits a moment for one,
   * and still takes one at the nickname prompt, from a client slower than that), else a person.
   */
  | 'either'
  /** A person (chat-server's `/ws` page): welcomed at once; a JSON line is just text. */
  | 'person'
  /** MaChat (its `/mychat` WebSocket): the first line must be the handshake; nothing is said first. */
  | 'machat';

/** The wording and timings of the dialogue (from configuration). */
export interface LineDialogueOptions {
  readonly opening: LineOpening;
  /** Named in the welcome. */
  readonly serverName: string;
  /** How long the server waits for a MaChat handshake before it greets a person (`either`). */
  readonly greetingDelayMs: number;
  /** A client that has not joined a room by then is let go. */
  readonly loginTimeoutMs: number;
  /** Announced with the joiner's join and leave, when configured. */
  readonly origin: Origin | undefined;
  /** When set, a client must show an access token before it joins (`/auth`, the handshake). */
  readonly tokens?: TokenVerifier | undefined;
}

/** Which question the dialogue waits for an answer to. */
type Step = 'greeting' | 'token' | 'nickname' | 'room';

const NICKNAME_QUESTION = 'Your nickname?';
const TOKEN_QUESTION = 'This server needs an access token: send /auth <token>';

/**
 * How a line client gets into a room, before its session takes over. A client whose first line
 * is a JSON object speaks MaChat: that line names the nickname and room, no question is asked,
 * and a handshake that cannot be taken ends the connection. Anyone else is a person: welcomed,
 * asked for a nickname and a room, asked again when an answer is refused. Commands at a prompt
 * (`/help`, `/rooms`, `/quit`) run as they would in a room, through the same runner, and
 * `/join #room` answers the room question (IRC habits, chat-server's users).
 */
export class LineDialogue {
  private step: Step = 'greeting';
  private nickname = '';
  private room = '';
  private speaksMachat = false;
  /** Lines that came while a token was being checked: taken in order once it is. */
  private heldWhileVerifying: string[] | undefined;
  private readonly greeting: NodeJS.Timeout | undefined;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    private readonly session: ClientSession,
    private readonly renderer: LineRenderer,
    private readonly options: LineDialogueOptions,
  ) {
    session.whileUnjoined((text) => this.answer(text));
    if (options.opening === 'either') {
      this.greeting = setTimeout(() => this.greet(), options.greetingDelayMs);
    } else if (options.opening === 'person') this.greet();
    this.deadline = setTimeout(() => this.timedOut(), options.loginTimeoutMs);
    this.deadline.unref();
    void session.closed.then(() => this.stopTimers());
  }

  /**
   * True while a JSON object from the client would be MaChat's handshake: its line then ends at
   * the object's closing brace, as MaChat's TCP client sends no line end after it.
   */
  get awaitsHandshake(): boolean {
    return (
      this.options.opening !== 'person' &&
      !this.speaksMachat &&
      (this.step === 'greeting' || this.step === 'token' || this.step === 'nickname')
    );
  }

  /** A line from the client: an answer before it is in a room, the session's input after. */
  line(text: string): void {
    if (this.heldWhileVerifying !== undefined) {
      this.heldWhileVerifying.push(text);
      return;
    }
    const inRoom = this.session.state === 'joined' || this.session.state === 'joining';
    if (inRoom && text.trim() === '') return; // blank lines say nothing in a room
    this.session.receive(text, Buffer.byteLength(text));
  }

  private answer(text: string): void {
    switch (this.step) {
      case 'greeting':
        clearTimeout(this.greeting);
        if (looksLikeHandshake(text)) this.handshake(text);
        else if (this.options.opening === 'machat') {
          this.session.refuseAndEnd(
            'invalid_request',
            `the first message must be the handshake ${HANDSHAKE_SYNTAX}`,
          );
        } else {
          this.greet();
          this.answer(text);
        }
        return;
      case 'token':
        if (this.awaitsHandshake && looksLikeHandshake(text)) this.handshake(text);
        else this.answerToken(text);
        return;
      case 'nickname':
        // a MaChat client slower than the greeting: its handshake answers the question
        if (this.awaitsHandshake && looksLikeHandshake(text)) this.handshake(text);
        else this.answerNickname(text);
        return;
      case 'room':
        this.answerRoom(text);
        return;
    }
  }

  private greet(): void {
    if (this.step !== 'greeting') return;
    const { serverName } = this.options;
    const server = serverName === '' ? 'Parley' : `Parley (${serverName})`;
    const welcome = `Welcome to ${server}! Lines starting with / are commands; /help lists them.`;
    // one unit: a WebSocket page shows the welcome and its question as one entry
    if (this.needsToken) {
      this.step = 'token';
      this.say(renderAnnouncement(welcome), TOKEN_QUESTION);
    } else if (this.session.grant !== undefined) {
      this.nickname = this.session.grant.subject;
      this.step = 'room';
      this.say(renderAnnouncement(welcome), this.roomQuestion());
    } else {
      this.step = 'nickname';
      this.say(renderAnnouncement(welcome), NICKNAME_QUESTION);
    }
  }

  /** True while the server needs a token and the client has shown none. */
  private get needsToken(): boolean {
    return this.options.tokens !== undefined && this.session.grant === undefined;
  }

  // `/auth <token>` answers the token question; other commands run as at any prompt; anything
  // else is told a token comes first.
  private answerToken(text: string): void {
    const token = authToken(text);
    if (token !== undefined) {
      this.authenticate(token, () => this.askRoom());
      return;
    }
    if (this.command(text, () => this.say(TOKEN_QUESTION))) return;
    this.session.sendError('auth_required', 'send /auth <token> before anything else');
    this.say(TOKEN_QUESTION);
  }

  // A token that does not verify ends the connection: the error line with its code, then close.
  private authenticate(token: string, then: () => void): void {
    const { tokens } = this.options;
    if (tokens === undefined) return;
    this.heldWhileVerifying = [];
    tokens.verify(token).then(
      (grant) => {
        const held = this.heldWhileVerifying ?? [];
        this.heldWhileVerifying = undefined;
        if (!this.session.isOpen) return;
        this.session.authorize(grant, tokens.remainingMs(grant, Date.now()));
        this.nickname = grant.subject;
        then();
        for (const line of held) this.line(line);
      },
      (error: unknown) => {
        this.heldWhileVerifying = undefined;
        if (error instanceof WireError) this.session.refuseAndEnd(error.code, error.message);
        else this.session.fail(error);
      },
    );
  }

  private askNickname(): void {
    this.step = 'nickname';
    this.say(NICKNAME_QUESTION);
  }

  private askRoom(): void {
    this.step = 'room';
    this.say(this.roomQuestion());
  }

  private roomQuestion(): string {
    return `Welcome ${this.nickname}! Which room? A name or an id (or /join #room); a new name creates the room; /rooms lists them.`;
  }

  private answerNickname(text: string): void {
    if (this.command(text, () => this.askNickname())) return;
    try {
      this.nickname = parseNickname(text);
    } catch (error) {
      this.showError(error);
      this.askNickname();
      return;
    }
    if (this.room === '') this.askRoom();
    else this.join(this.room); // the room was chosen; only the nickname was taken there
  }

  // IRC habits work at the prompt too: `/join #general` answers it.
  private answerRoom(text: string): void {
    const joinTo = joinCommandRoom(text);
    if (joinTo === undefined && this.command(text, () => this.askRoom())) return;
    this.join(joinTo ?? roomReference(text));
  }

  // A command at a prompt runs as in a room (`/list` and the like are refused: no room yet),
  // then the question is asked again.
  private command(text: string, askAgain: () => void): boolean {
    if (!text.trimStart().startsWith('/')) return false;
    void this.session.command(text.trim()).then(() => {
      if (this.session.state === 'open') askAgain();
    });
    return true;
  }

  private handshake(line: string): void {
    this.speaksMachat = true;
    this.renderer.speak('machat');
    this.step = 'room';
    const handshake = parseHandshake(line);
    if ('problem' in handshake) {
      this.session.refuseAndEnd('invalid_request', handshake.problem);
      return;
    }
    if (this.needsToken) {
      if (handshake.token === undefined) {
        this.session.refuseAndEnd(
          'auth_required',
          'this server needs an access token: add "token" to the handshake',
        );
        return;
      }
      this.authenticate(handshake.token, () => this.join(roomReference(handshake.room)));
      return;
    }
    try {
      this.nickname = parseNickname(handshake.name);
    } catch (error) {
      this.refuseHandshake(error);
      return;
    }
    this.join(roomReference(handshake.room));
  }

  private join(room: string): void {
    this.room = room;
    void this.session
      .join({ idOrName: room }, this.nickname, { origin: this.options.origin }, (code, message) =>
        this.refused(code, message),
      )
      .then(() => {
        if (this.session.state === 'joined') clearTimeout(this.deadline);
      });
  }

  // A person is asked again (a taken nickname: a new nickname; a bad room: another room);
  // MaChat has no prompts, so its client is told why and closed.
  private refused(code: WireErrorCode, message: string): void {
    if (this.speaksMachat) {
      this.session.refuseAndEnd(code, message);
      return;
    }
    this.session.sendError(code, message);
    if (code === 'nickname_taken' || code === 'invalid_nickname') this.askNickname();
    else if (code === 'internal_error' || code === 'storage_unavailable') {
      this.session.end('disconnected', CloseCode.internalError, code);
    } else {
      this.room = '';
      this.askRoom();
    }
  }

  private refuseHandshake(error: unknown): void {
    if (isChatError(error)) this.session.refuseAndEnd(error.code, error.message);
    else this.session.fail(error);
  }

  private showError(error: unknown): void {
    if (isChatError(error)) this.session.sendError(error.code, error.message);
    else this.session.fail(error);
  }

  private timedOut(): void {
    if (this.session.state === 'open') {
      this.session.refuse('idle_timeout', 'you did not join a room in time');
    }
  }

  private say(...lines: string[]): void {
    this.session.say(this.renderer.lines(...lines));
  }

  private stopTimers(): void {
    clearTimeout(this.greeting);
    clearTimeout(this.deadline);
  }
}

/** The token of an `/auth <token>` line, or undefined when the line is something else. */
function authToken(text: string): string | undefined {
  const match = /^\s*\/auth(?:\s+(\S*))?\s*$/i.exec(text);
  if (match === null) return undefined;
  return match[1] ?? '';
}

/** The room of a `/join` command, or undefined when the line is something else. */
function joinCommandRoom(text: string): string | undefined {
  try {
    const command = parseInput(text.trim());
    return command.kind === 'join' ? command.room : undefined;
  } catch {
    return undefined;
  }
}
