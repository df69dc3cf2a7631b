import type { AuditTrail } from '../ports/audit-trail.js';
import type { ChatService } from './chat-service.js';
import { ChatError } from './chat-error.js';
import { isDirectRoom } from './direct-room.js';
import { COMMANDS, parseInput, type Command, type CommandHelp } from './command.js';
import type { Membership } from './membership.js';
import type { Message } from './message.js';
import type { RoomDetails, RoomPage, RoomService } from './room-service.js';

/** What a command answers to the one who ran it; transports render it. */
export type CommandReply =
  | { readonly type: 'help'; readonly commands: readonly CommandHelp[] }
  | { readonly type: 'participants'; readonly room: RoomDetails }
  | { readonly type: 'rooms'; readonly page: RoomPage }
  | { readonly type: 'history'; readonly roomId: string; readonly messages: readonly Message[] }
  /** The transport says goodbye and closes normally; the room sees the leave as `quit`. */
  | { readonly type: 'quit'; readonly reason: string }
  | { readonly type: 'ignored'; readonly nicknames: readonly string[] }
  /** The connection now speaks through this membership (its old room has been left). */
  | { readonly type: 'moved'; readonly membership: Membership };

/**
 * Runs a participant's line of input: a message for the room, or a command (see Command). One
 * implementation for every transport; transports only parse frames or lines and render replies.
 */
export class CommandRunner {
  constructor(
    private readonly rooms: RoomService,
    private readonly chat: ChatService,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Runs the line. A message is handed to the room before this returns (so a client's
   * messages keep their order); the promise resolves with the reply, if the line has one.
   * Without a membership (a client not in a room yet) only `/help`, `/rooms` and `/quit` run.
   * @throws ChatError from parsing (`unknown_command`, `invalid_command`), `not_in_room` for
   *   what needs a room when there is none, or from the command.
   */
  run(membership: Membership | undefined, line: string): Promise<CommandReply | undefined> {
    let command: Command;
    try {
      command = parseInput(line);
    } catch (error) {
      return rejection(error);
    }
    switch (command.kind) {
      case 'help':
        return Promise.resolve({ type: 'help', commands: COMMANDS });
      case 'rooms':
        return this.rooms.list().then((page) => ({ type: 'rooms', page }));
      case 'quit':
        return Promise.resolve({ type: 'quit', reason: command.reason });
      default:
        if (membership === undefined || isRoomless(membership, command)) {
          return rejection(notInRoom(command.kind));
        }
        return this.inRoom(membership, command, line);
    }
  }

  /**
   * Says `text` in the membership's room as a message, whatever it starts with (a dialect whose
   * messages are never commands: chattypantz's 108), and records it in the audit trail.
   * @throws ChatError as Membership.say.
   */
  async say(membership: Membership, text: string): Promise<undefined> {
    const message = await membership.say(text);
    this.audit.record({
      event: 'message',
      room: membership.room.id,
      participant: membership.name,
      id: message.id,
      text: message.text,
    });
    return undefined;
  }

  private inRoom(
    membership: Membership,
    command: Exclude<Command, { kind: 'help' | 'rooms' | 'quit' }>,
    line: string,
  ): Promise<CommandReply | undefined> {
    const roomId = membership.room.id;
    const participant = membership.name;
    const audit = this.audit;
    if (command.kind !== 'say' && command.kind !== 'msg') {
      audit.record({ event: 'command', room: roomId, participant, command: command.kind, line });
    }
    switch (command.kind) {
      case 'say':
        return this.say(membership, command.text);
      case 'list':
        return this.rooms.get(roomId).then((room) => ({ type: 'participants', room }));
      case 'history':
        return this.rooms
          .history(roomId, { limit: command.count })
          .then((messages) => ({ type: 'history', roomId, messages }));
      case 'msg':
        return membership.whisper(command.to, command.text).then((to) => {
          audit.record({
            event: 'private_message',
            room: roomId,
            from: participant,
            to,
            text: command.text,
          });
          return undefined;
        });
      case 'ignore':
        return membership.ignore(command.nickname).then(ignoredReply);
      case 'unignore':
        return attempt(() => ignoredReply(membership.unignore(command.nickname)));
      case 'ignored':
        return Promise.resolve(ignoredReply(membership.ignored));
      case 'nick':
        return membership.rename(command.name).then(() => undefined);
      case 'join':
        return this.chat
          .move(membership, { idOrName: command.room })
          .then((moved) => ({ type: 'moved', membership: moved }));
    }
  }
}

// A client present for direct messages only has no room to list or read.
function isRoomless(membership: Membership, command: Command): boolean {
  return (
    isDirectRoom(membership.room.id) && (command.kind === 'list' || command.kind === 'history')
  );
}

function notInRoom(kind: Command['kind']): ChatError {
  const what = kind === 'say' ? 'a message' : `/${kind}`;
  return new ChatError('not_in_room', `join a room first: ${what} needs one`);
}

function ignoredReply(nicknames: readonly string[]): CommandReply {
  return { type: 'ignored', nicknames };
}

/** The result of a synchronous step as a promise, its exception as a rejection. */
function attempt<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (error) {
    return rejection(error);
  }
}

function rejection(error: unknown): Promise<never> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}
