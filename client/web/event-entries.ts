import type { ServerEvent } from '../core/events.js';

/** How the log shows one event that is not a room message. */
export type Entry =
  /** Presence and the server's notices: one quiet line. */
  | { readonly kind: 'notice' | 'announcement' | 'error'; readonly text: string }
  /** A command's answer: a title and its lines. */
  | { readonly kind: 'reply'; readonly title: string; readonly items: readonly string[] }
  | {
      readonly kind: 'private';
      readonly from: string;
      readonly to: string;
      readonly text: string;
      readonly at: unknown;
    };

const LEAVE_REASONS: Readonly<Record<string, string>> = {
  disconnected: 'connection lost',
  ping_timeout: 'connection lost',
  idle_timeout: 'idle',
  slow_consumer: 'too slow',
  moved: 'went to another room',
  server_shutdown: 'server restarting',
  kicked: 'removed by the operator',
};

/** What a person reads for an event (undefined: nothing to show). `me` is our nickname. */
export function entryFor(event: ServerEvent, me: string): Entry | undefined {
  const describe = DESCRIPTIONS[event.event_type];
  if (describe !== undefined) return describe(event, me);
  return { kind: 'notice', text: `${event.event_type}: ${JSON.stringify(event)}` };
}

type Describe = (event: ServerEvent, me: string) => Entry | undefined;

const notice = (text: string): Entry => ({ kind: 'notice', text });

const DESCRIPTIONS: Readonly<Record<string, Describe>> = {
  session: () => undefined,
  participant_joined: (event, me) =>
    notice(event.participant === me ? 'You joined the room' : `${str(event.participant)} joined`),
  participant_left: (event) => {
    const reason = LEAVE_REASONS[str(event.reason)];
    return notice(`${str(event.participant)} left${reason === undefined ? '' : ` (${reason})`}`);
  },
  participant_renamed: (event) => notice(`${str(event.from)} is now known as ${str(event.to)}`),
  participants_changed: (event) => {
    const parts = [
      list(event.joined).length > 0 ? `${list(event.joined).join(', ')} joined` : '',
      list(event.left).length > 0 ? `${list(event.left).join(', ')} left` : '',
    ];
    return notice(parts.filter((part) => part !== '').join('; '));
  },
  participants: (event) => ({
    kind: 'reply',
    title: `In ${str(event.name)} (${str(event.participant_count)})`,
    items: records(event.participants).map((person) => str(person.name)),
  }),
  rooms: (event) => ({
    kind: 'reply',
    title: `Rooms (${str(event.total)})`,
    items: records(event.rooms).map((room) => `${str(room.name)}: ${str(room.participants)} here`),
  }),
  help: (event) => ({
    kind: 'reply',
    title: 'Commands',
    items: records(event.commands).map((c) => `${str(c.syntax)}: ${str(c.description)}`),
  }),
  history: (event) => ({
    kind: 'reply',
    title: `Last ${records(event.messages).length} messages`,
    items: records(event.messages).map(
      (m) => `#${str(m.seq)} ${str(m.participant)}: ${str(m.text)}`,
    ),
  }),
  ignored: (event) =>
    list(event.nicknames).length === 0
      ? notice('You ignore nobody')
      : { kind: 'reply', title: 'You ignore', items: list(event.nicknames) },
  joined_room: (event) => notice(`You are now in ${str(event.name)}`),
  goodbye: (event) => notice(`You left${event.reason ? `: ${str(event.reason)}` : ''}`),
  private_message: (event) => ({
    kind: 'private',
    from: str(event.from),
    to: str(event.to),
    text: str(event.text),
    at: event.sent_at,
  }),
  error: (event) => ({ kind: 'error', text: `${str(event.message)} (${str(event.code)})` }),
  announcement: (event) => ({ kind: 'announcement', text: `Announcement: ${str(event.text)}` }),
  server_shutting_down: () => notice('The server is shutting down or restarting'),
  room_closed: () => ({ kind: 'error', text: 'The operator closed this room' }),
};

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter(
        (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
      )
    : [];
}
