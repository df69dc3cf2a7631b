import type { ServerEvent } from '../core/events.js';
import { clockTime } from './clock-time.js';
import { printable } from './printable.js';
import { type MessageLine, type Reader, renderMessage } from './render-message.js';

/**
 * The lines a person is shown for an event other than a room message (docs/protocol.md,
 * "Events"): presence, private messages, command replies, server notices and errors. An event
 * this client does not know is shown by its type, so nothing the server says is lost.
 */
export function renderEvent(event: ServerEvent, reader: Reader): string[] {
  const { style } = reader;
  const notice = (text: string): string[] => [style.notice(`* ${text}`)];
  switch (event.event_type) {
    case 'participant_joined':
      return notice(`${text(event.participant)} joined`);
    case 'participant_left': {
      const reason = text(event.reason);
      const why = reason === 'quit' || reason === '' ? '' : ` (${reason.replaceAll('_', ' ')})`;
      return notice(`${text(event.participant)} left${why}`);
    }
    case 'participants_changed':
      return notice(presenceChange(names(event.joined), names(event.left)));
    case 'participant_renamed':
      return notice(`${text(event.from)} is now known as ${text(event.to)}`);
    case 'private_message':
      return [renderPrivate(event, reader)];
    case 'error':
      return [style.error(`! ${text(event.message) || text(event.code)}`)];
    case 'announcement':
      return [style.status(`*** Announcement: ${text(event.text)}`)];
    case 'server_shutting_down':
      return [style.status('*** The server is shutting down.')];
    case 'room_closed':
      return [style.status('*** The room was closed by the operator.')];
    default:
      return renderReply(event, reader);
  }
}

/** `[private] <Ann> hi` to us, `[private to Bob] <Ann> hi` from us. */
function renderPrivate(event: ServerEvent, reader: Reader): string {
  const to = text(event.to);
  const label = to === reader.me() ? '[private]' : `[private to ${to}]`;
  const when = reader.style.dim(`[${clockTime(text(event.sent_at))}]`);
  return `${when} ${reader.style.private(`${label} <${text(event.from)}>`)} ${text(event.text)}`;
}

/** Answers to commands, sent to the one who ran the command only. */
function renderReply(event: ServerEvent, reader: Reader): string[] {
  const { style } = reader;
  const notice = (line: string): string => style.notice(line);
  switch (event.event_type) {
    case 'help':
      return [
        notice('* Commands (any other line is a message; //text sends /text):'),
        ...list(event.commands).map((command) =>
          notice(`  ${text(command.syntax).padEnd(18)} ${text(command.description)}`),
        ),
      ];
    case 'participants': {
      const people = list(event.participants).map((person) => text(person.name));
      const count = typeof event.participant_count === 'number' ? event.participant_count : 0;
      const more = count > people.length ? ` and ${count - people.length} more` : '';
      return [notice(`* In #${text(event.name)} (${count}): ${people.join(', ')}${more}`)];
    }
    case 'rooms': {
      const rooms = list(event.rooms);
      const total = typeof event.total === 'number' ? event.total : rooms.length;
      return [
        notice(`* ${total} room${total === 1 ? '' : 's'}:`),
        ...rooms.map((room) =>
          notice(
            `  #${text(room.name)} (${String(room.participants)}) ${style.dim(text(room.id))}`,
          ),
        ),
      ];
    }
    case 'history': {
      const messages = list(event.messages);
      return [
        notice(`* The last ${messages.length} messages:`),
        ...messages.map((message) => renderMessage(asMessage(message), reader)),
      ];
    }
    case 'goodbye': {
      const reason = text(event.reason);
      return [notice(`* Goodbye${reason === '' ? '' : ` (${reason})`}.`)];
    }
    case 'ignored': {
      const ignored = names(event.nicknames);
      return [
        notice(ignored.length === 0 ? '* You ignore nobody.' : `* Ignored: ${ignored.join(', ')}`),
      ];
    }
    case 'joined_room':
      return [notice(`* You are now in #${text(event.name)}.`)];
    default:
      return [style.dim(`* ${text(event.event_type)}: ${printable(JSON.stringify(event))}`)];
  }
}

function asMessage(record: Record<string, unknown>): MessageLine {
  const raw = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    participant: raw(record.participant),
    text: raw(record.text),
    sent_at: raw(record.sent_at),
  };
}

function presenceChange(joined: string[], left: string[]): string {
  const parts = [
    joined.length > 0 ? `joined: ${joined.join(', ')}` : '',
    left.length > 0 ? `left: ${left.join(', ')}` : '',
  ];
  return parts.filter((part) => part !== '').join('; ');
}

/** A field as printable text ('' when absent or not text). */
function text(value: unknown): string {
  if (typeof value === 'string') return printable(value);
  return typeof value === 'number' ? String(value) : '';
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text) : [];
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter(
        (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
      )
    : [];
}
