import { ChatError, isChatError } from '../../business/chat/chat-error.js';
import type { InputOutcome } from '../../business/chat/client-inputs.js';
import type { CommandRunner } from '../../business/chat/command-runner.js';
import type { Origin } from '../../business/chat/participant.js';
import { ROOM_PAGE_MAX } from '../../business/chat/room-page.js';
import type { RoomService } from '../../business/chat/room-service.js';
import type { Room } from '../../business/chat/room.js';
import type { ClientSession } from '../connections/client-session.js';
import type { PantzChatterFigures } from './pantz-chatters.js';
import { PantzText, PantzType } from './pantz-codes.js';
import { answer, pantzErrorFor } from './pantz-errors.js';
import type { PantzResponse } from './pantz-json.js';
import { pantzFrame } from './pantz-renderer.js';
import { decodePantzRequest, type PantzRequest } from './pantz-request.js';

/** An answer to send, or nothing (a join is answered by its notice, an idle leave by silence). */
type Answer = PantzResponse | undefined;

/**
 * One chattypantz connection's requests (docs/protocol.md, "chattypantz"): each frame is decoded,
 * then run through the session in its turn — joins, leaves and messages in any room, in the
 * order sent — and answered as chattypantz answers. Its nickname (request 101) is the one it
 * joins rooms with from then on; rooms it is already in keep the name it joined with.
 */
export class PantzDialogue {
  private requestedNickname = '';

  constructor(
    private readonly session: ClientSession,
    private readonly rooms: RoomService,
    private readonly commands: CommandRunner,
    private readonly origin: Origin | undefined,
    private readonly figures: PantzChatterFigures,
  ) {}

  /** One frame (text or binary) from the client. A frame that is no request ends the session. */
  receive(frame: Buffer): void {
    const decoded = decodePantzRequest(frame.toString('utf8'));
    if (!decoded.ok) {
      this.session.refuseAndEnd(decoded.problem, decoded.message);
      return;
    }
    const { request } = decoded;
    this.figures.requested();
    const kind = request.reqType === PantzType.msg ? 'message' : 'command';
    this.session.request(
      frame.length,
      kind,
      () => this.handle(request),
      (outcome) => this.answered(request, outcome),
    );
  }

  private async handle(request: PantzRequest): Promise<Answer> {
    if (!this.session.isOpen) return undefined; // sent before it closed: nothing to take effect
    switch (request.reqType) {
      case PantzType.setNickname:
        return this.setNickname(request.content);
      case PantzType.getNickname:
        return answer('', PantzType.getNickname, this.nickname);
      case PantzType.listRooms:
        return this.listRooms();
    }
    if (request.roomName === '')
      return answer('', PantzType.roomMandatory, PantzText.roomMandatory);
    const room = await this.roomNamed(request.roomName); // as chattypantz: for any type
    return this.inRoom(room, request);
  }

  // A room no one has made yet is made only for a client its token lets in (decision 0012).
  private async roomNamed(name: string): Promise<Room> {
    if (this.session.grant?.rooms !== undefined) {
      const found = await this.rooms.find(name).catch((error: unknown) => {
        if (isChatError(error, 'room_not_found')) return undefined;
        throw error;
      });
      if (found !== undefined) return found;
      if (this.session.mayEnter?.({ id: '', name }) === false) {
        throw new ChatError(
          'forbidden_room',
          `your token does not let you into the room "${name}"`,
        );
      }
    }
    return this.rooms.findOrCreate(name, this.session.peerAddress);
  }

  private inRoom(room: Room, { roomName, reqType, content }: PantzRequest): Promise<Answer> {
    switch (reqType) {
      case PantzType.join:
        return this.join(room, roomName, content === 'hidden');
      case PantzType.listNames:
        return this.listNames(room, roomName);
      case PantzType.hide:
      case PantzType.unhide:
        return this.hide(room, roomName, reqType === PantzType.hide);
      case PantzType.msg:
        return this.say(room, roomName, content);
      case PantzType.leave:
        return this.leave(room, roomName);
      default:
        return done(answer(roomName, PantzType.unknownRequest, PantzText.unknownRequest(roomName)));
    }
  }

  // With an access token the nickname is its `sub`, whatever 101 asks for (decision 0012).
  private get nickname(): string {
    return this.session.grant?.subject ?? this.requestedNickname;
  }

  private setNickname(nickname: string): Promise<Answer> {
    if (nickname === '') return this.blankNickname();
    this.requestedNickname = nickname;
    this.figures.nickname = this.nickname;
    return done(answer('', PantzType.setNickname, PantzText.nicknameSet(this.nickname)));
  }

  private blankNickname(): Promise<Answer> {
    return done(answer('', PantzType.nicknameMandatory, PantzText.nicknameMandatory));
  }

  private async listRooms(): Promise<Answer> {
    const page = await this.rooms.list({ limit: ROOM_PAGE_MAX });
    const list = page.rooms.map((room) => room.name);
    return { roomName: '', rspType: PantzType.listRooms, content: '', list };
  }

  // Everyone in the room, the joiner included, is told by the join's own notice (104).
  private async join(room: Room, roomName: string, hidden: boolean): Promise<Answer> {
    if (this.session.membershipIn(room.id) !== undefined) {
      return answer(roomName, PantzType.alreadyJoined, PantzText.alreadyJoined(roomName));
    }
    if (this.nickname === '') return this.blankNickname();
    const options = { history: false, hidden, ...(this.origin && { origin: this.origin }) };
    await this.session.enterAlso(room, this.nickname, options);
    return undefined;
  }

  private async listNames(room: Room, roomName: string): Promise<Answer> {
    const details = await this.rooms.get(room.id);
    const list = details.participants.map((participant) => participant.name);
    return { roomName, rspType: PantzType.listNames, content: '', list };
  }

  // As chattypantz: hiding in a room one is not in joins it, hidden or not.
  private async hide(room: Room, roomName: string, hidden: boolean): Promise<Answer> {
    const membership = this.session.membershipIn(room.id);
    if (membership === undefined) {
      const refused = await this.join(room, roomName, hidden);
      if (refused !== undefined) return refused;
    } else {
      await membership.hide(hidden);
    }
    const text = hidden ? PantzText.hidden(roomName) : PantzText.unhidden(roomName);
    return answer(roomName, hidden ? PantzType.hide : PantzType.unhide, text);
  }

  // Everyone in the room, the sender included, gets the message as 108.
  private async say(room: Room, roomName: string, text: string): Promise<Answer> {
    const membership = this.session.membershipIn(room.id);
    if (membership === undefined) {
      return answer(roomName, PantzType.roomUnavailable, PantzText.notMember(roomName));
    }
    if (membership.hidden) {
      const content = PantzText.hiddenNickname(membership.name, roomName);
      return answer(roomName, PantzType.hiddenNickname, content);
    }
    return this.commands.say(membership, text); // stored, fanned out and audited
  }

  // Not in the room: no answer at all, as chattypantz.
  private async leave(room: Room, roomName: string): Promise<Answer> {
    const left = await this.session.leaveOne(room.id);
    return left ? answer(roomName, PantzType.leave, PantzText.youLeft(roomName)) : undefined;
  }

  private answered(request: PantzRequest, outcome: InputOutcome<Answer>): void {
    const response = outcome.ok
      ? outcome.reply
      : pantzErrorFor(outcome.error, request.roomName, this.nickname);
    if (!outcome.ok && response === undefined) {
      this.session.fail(outcome.error);
      return;
    }
    if (response === undefined) return;
    this.figures.answered();
    this.session.say(pantzFrame(response));
  }
}

function done(response: Answer): Promise<Answer> {
  return Promise.resolve(response);
}
