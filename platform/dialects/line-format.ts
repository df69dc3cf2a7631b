import type { CommandReply } from '../../business/chat/command-runner.js';
import type { Message } from '../../business/chat/message.js';
import type { RoomPage } from '../../business/chat/room-service.js';
import type { MemberEvent, PrivateMessageSent } from '../../business/chat/room-event.js';

/**
 * How a line client reads the room. `telnet` is for people (`[12:01] <John> hello`); `machat`
 * writes messages as `name:text`, as MaChat's clients expect. Everything else (joins, leaves,
 * replies, errors) reads the same in both.
 */
export type LineDialect = 'telnet' | 'machat';

/** Lines go out with CRLF endings, as telnet (RFC 854) wants and every other client accepts. */
export const CRLF = '\r\n';

/**
 * The text of a room event for a line client, without its final line ending. Private messages
 * depend on who reads them: see renderPrivateMessage.
 */
export function renderRoomEvent(
  dialect: LineDialect,
  event: Exclude<MemberEvent, PrivateMessageSent>,
): string {
  switch (event.type) {
    case 'message_posted':
    case 'message_replayed':
      return renderMessage(dialect, event.message);
    case 'participant_joined':
      return `* ${event.participant} joined #${event.roomName}`;
    case 'participant_left':
      return event.reason === 'quit'
        ? `* ${event.participant} left`
        : `* ${event.participant} left (${event.reason.replaceAll('_', ' ')})`;
    case 'participants_changed':
      return `* ${[
        event.joined.length > 0 ? `joined: ${event.joined.join(', ')}` : '',
        event.left.length > 0 ? `left: ${event.left.join(', ')}` : '',
      ]
        .filter((part) => part !== '')
        .join('; ')}`;
    case 'participant_renamed':
      return `* ${event.from} is now known as ${event.to}`;
  }
}

/** A private message as its recipient or its sender (`viewer`) sees it. */
export function renderPrivateMessage(
  dialect: LineDialect,
  event: PrivateMessageSent,
  viewer: string,
): string {
  const text = printable(event.text);
  const label = event.to === viewer ? '[private]' : `[private to ${event.to}]`;
  return dialect === 'machat'
    ? `${label} ${event.from}:${text}`
    : `${label} <${event.from}> ${text}`;
}

/** The lines that answer a command, for its runner only. */
export function renderReply(dialect: LineDialect, reply: CommandReply): string[] {
  switch (reply.type) {
    case 'help':
      return [
        '* Commands (any other line is a message; //text sends /text):',
        ...reply.commands.map(({ syntax, description }) => `  ${syntax.padEnd(18)} ${description}`),
      ];
    case 'participants': {
      const { name, participants, participantCount } = reply.room;
      const names = participants.map((participant) => participant.name);
      const unlisted = participantCount - names.length;
      const more = unlisted > 0 ? ` and ${unlisted} more` : '';
      return [`* In #${name} (${participantCount}): ${names.join(', ')}${more}`];
    }
    case 'rooms':
      return renderRoomList(reply.page);
    case 'history':
      return [
        `* The last ${reply.messages.length} messages:`,
        ...reply.messages.map((message) => renderMessage(dialect, message)),
      ];
    case 'quit':
      return ['* Good Bye, come back again.'];
    case 'ignored':
      return [
        reply.nicknames.length === 0
          ? '* You are ignoring nobody.'
          : `* You are ignoring: ${reply.nicknames.join(', ')}`,
      ];
    case 'moved':
      return [`* You are now in #${reply.membership.room.name}.`];
  }
}

/** `/rooms`, and the list offered at the room prompt: the first page, and how many more. */
export function renderRoomList({ rooms, total }: RoomPage): string[] {
  if (total === 0) return ['* No rooms yet: name one to create it.'];
  const unlisted = total - rooms.length;
  return [
    `* Rooms (${total}):`,
    ...rooms.map(({ id, name, participantCount }) => `  #${name}  ${participantCount} in  (${id})`),
    ...(unlisted > 0 ? [`  … and ${unlisted} more (join one by name or id)`] : []),
  ];
}

/**
 * An error the client is shown; the connection may or may not stay open. The stable code comes
 * first (scripts match on it), then the sentence a person reads.
 * @example renderError('nickname_taken', 'the nickname "Ann" is taken in this room')
 *   // '! error nickname_taken: the nickname "Ann" is taken in this room'
 */
export function renderError(code: string, message: string): string {
  return `! error ${code}: ${message}`;
}

/** A notice from the server itself, marked so that it stands out from the conversation. */
export function renderAnnouncement(text: string): string {
  return `*** ${text}`;
}

/**
 * A notice from the operator (an announcement, a room closed), marked like the server's own;
 * its text is made printable like a message's (no terminal escapes).
 * @example renderOperatorNotice('Announcement: back in 5') // '*** Announcement: back in 5'
 */
export function renderOperatorNotice(text: string): string {
  return renderAnnouncement(printable(text));
}

function renderMessage(dialect: LineDialect, message: Message): string {
  const text = printable(message.text);
  if (dialect === 'machat') return `${message.participant}:${text}`;
  return `[${clockTime(message.sentAt)}] <${message.participant}> ${text}`;
}

// HH:MM in the server's time zone; a message from another day (history) shows its date too.
function clockTime(epochMs: number): string {
  const at = new Date(epochMs);
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  if (at.toDateString() === new Date().toDateString()) return time;
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

const CONTROL = /[\p{Cc}]/gu;

// Text from WebSocket clients may hold line breaks and terminal escapes: a line break becomes an
// indented continuation line, and no other control character reaches a terminal (ESC sequences
// could repaint or hijack it).
function printable(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(CONTROL, (char) => (char === '\t' ? char : '\uFFFD')))
    .join(`${CRLF}  `);
}
