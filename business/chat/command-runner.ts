import type { AuditTrail } from '../ports/audit-trail.js';
import type { ChatService } from './chat-service.js';
import { COMMANDS, parseInput, type CommandHelp } from './command.js';
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
   * @throws ChatError from parsing (`unknown_command`, `invalid_command`) or from the command.
   */
  run(membership: Membership, line: string): Promise<CommandReply | undefined> {
    let command;
    try {
      command = parseInput(line);
    } catch (error) {
      return rejection(error);
    }
    const roomId = membership.room.id;
    const participant = membership.name;
    const audit = this.audit;
    if (command.kind !== 'say' && command.kind !== 'msg') {
      audit.record({ event: 'command', room: roomId, participant, command: command.kind, line });
    }
    switch (command.kind) {
      case 'say':
        return membership.say(command.text).then(({ id, text }) => {
          audit.record({ event: 'message', room: roomId, participant, id, text });
          return undefined;
        });
      case 'help':
        return Promise.resolve({ type: 'help', commands: COMMANDS });
      case 'list':
        return this.rooms.get(roomId).then((room) => ({ type: 'participants', room }));
      case 'rooms':
        return this.rooms.list().then((page) => ({ type: 'rooms', page }));
      case 'history':
        return this.rooms
          .history(roomId, { limit: command.count })
          .then((messages) => ({ type: 'history', roomId, messages }));
      case 'quit':
        return Promise.resolve({ type: 'quit', reason: command.reason });
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
        return this.rooms
          .findOrCreate(command.room)
          .then((room) => this.chat.move(membership, room.id))
          .then((moved) => ({ type: 'moved', membership: moved }));
    }
  }
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
