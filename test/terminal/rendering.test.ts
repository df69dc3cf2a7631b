import { expect } from 'chai';
import { outgoing } from '../../client/terminal/outgoing.js';
import { printable } from '../../client/terminal/printable.js';
import { renderEvent } from '../../client/terminal/render-event.js';
import { renderMessage, type Reader } from '../../client/terminal/render-message.js';
import { renderStatus } from '../../client/terminal/render-status.js';
import { afterOverlap } from '../../client/terminal/replay-overlap.js';
import { PLAIN_STYLE } from '../../client/terminal/style.js';

const reader: Reader = { style: PLAIN_STYLE, me: () => 'Ann' };
const at = new Date().toISOString();

describe('parley-chat rendering and input (pure parts)', () => {
  describe('printable', () => {
    it('shows terminal escapes and other control characters as U+FFFD, never as escapes', () => {
      expect(printable('a\u001b[2J\u0007b\u009bc')).to.equal('a\uFFFD[2J\uFFFDb\uFFFDc');
    });

    it('continues a line break on a new line indented by two spaces', () => {
      expect(printable('one\r\ntwo\nthree')).to.equal('one\n  two\n  three');
    });
  });

  describe('renderEvent', () => {
    const render = (event: Record<string, unknown>): string[] =>
      renderEvent({ event_type: '', ...event }, reader);

    it('renders presence and renames as notices', () => {
      expect(render({ event_type: 'participant_joined', participant: 'Bob' })).to.deep.equal([
        '* Bob joined',
      ]);
      expect(
        render({ event_type: 'participant_left', participant: 'Bob', reason: 'quit' }),
      ).to.deep.equal(['* Bob left']);
      expect(
        render({ event_type: 'participant_left', participant: 'Bob', reason: 'idle_timeout' }),
      ).to.deep.equal(['* Bob left (idle timeout)']);
      expect(
        render({ event_type: 'participants_changed', joined: ['A', 'B'], left: ['C'] }),
      ).to.deep.equal(['* joined: A, B; left: C']);
      expect(render({ event_type: 'participant_renamed', from: 'Bob', to: 'Rob' })).to.deep.equal([
        '* Bob is now known as Rob',
      ]);
    });

    it('tells private messages to us from those we sent', () => {
      const whisper = {
        event_type: 'private_message',
        from: 'Bob',
        to: 'Ann',
        text: 'psst',
        sent_at: at,
      };
      expect(render(whisper)[0]).to.match(/^\[\d\d:\d\d\] \[private\] <Bob> psst$/);
      const sent = { ...whisper, from: 'Ann', to: 'Bob' };
      expect(render(sent)[0]).to.match(/\[private to Bob\] <Ann> psst$/);
    });

    it('renders command replies readably', () => {
      expect(
        render({
          event_type: 'participants',
          name: 'Lobby',
          participants: [{ name: 'Ann' }, { name: 'Bob' }],
          participant_count: 3,
        }),
      ).to.deep.equal(['* In #Lobby (3): Ann, Bob and 1 more']);
      expect(
        render({
          event_type: 'rooms',
          rooms: [{ id: 'r1', name: 'Lobby', participants: 2 }],
          total: 1,
        }),
      ).to.deep.equal(['* 1 room:', '  #Lobby (2) r1']);
      expect(
        render({
          event_type: 'help',
          commands: [{ syntax: '/list', description: 'who is in this room' }],
        }),
      ).to.deep.equal([
        '* Commands (any other line is a message; //text sends /text):',
        `  ${'/list'.padEnd(18)} who is in this room`,
      ]);
      expect(render({ event_type: 'ignored', nicknames: [] })).to.deep.equal([
        '* You ignore nobody.',
      ]);
      expect(render({ event_type: 'joined_room', room: 'r2', name: 'Den' })).to.deep.equal([
        '* You are now in #Den.',
      ]);
      expect(render({ event_type: 'goodbye', reason: 'lunch' })).to.deep.equal([
        '* Goodbye (lunch).',
      ]);
      const history = render({
        event_type: 'history',
        messages: [{ seq: 1, participant: 'Bob', text: 'hi', sent_at: at }],
      });
      expect(history[0]).to.equal('* The last 1 messages:');
      expect(history[1]).to.match(/<Bob> hi$/);
    });

    it('renders errors and server notices, and shows an unknown event by its type', () => {
      expect(
        render({ event_type: 'error', code: 'unknown_command', message: 'no such command' }),
      ).to.deep.equal(['! no such command']);
      expect(render({ event_type: 'announcement', text: 'maintenance' })).to.deep.equal([
        '*** Announcement: maintenance',
      ]);
      expect(render({ event_type: 'server_shutting_down' })).to.deep.equal([
        '*** The server is shutting down.',
      ]);
      expect(render({ event_type: 'brand_new', x: 1 })[0]).to.match(/^\* brand_new: \{.*"x":1\}$/);
    });
  });

  it('renderMessage: [HH:MM] <name> text, with the date for another day', () => {
    const today = renderMessage({ participant: 'Bob', text: 'hello', sent_at: at }, reader);
    expect(today).to.match(/^\[\d\d:\d\d\] <Bob> hello$/);
    const old = renderMessage(
      { participant: 'Bob', text: 'x', sent_at: '2020-01-02T10:00:00Z' },
      reader,
    );
    expect(old).to.match(/^\[2020-01-0\d \d\d:\d\d\] <Bob> x$/);
  });

  it('renderStatus: the state, the transport, and when the next attempt comes', () => {
    const status = {
      state: 'reconnecting',
      kind: 'websocket',
      attempt: 2,
      retryInMs: 1234,
      reason: 'server_shutdown',
    } as const;
    expect(renderStatus(status, PLAIN_STYLE)).to.equal(
      '-- disconnected (server_shutdown); reconnecting in 1.2 s (attempt 2)',
    );
    expect(renderStatus({ state: 'connected', kind: 'sse', attempt: 0 }, PLAIN_STYLE)).to.equal(
      '-- connected (sse)',
    );
  });

  describe('outgoing', () => {
    it('sends lines and commands as typed; a blank line sends nothing', () => {
      expect(outgoing('hello', undefined)).to.equal('hello');
      expect(outgoing('/list', undefined)).to.equal('/list');
      expect(outgoing('   ', undefined)).to.equal(undefined);
    });

    it('one-to-one: a line becomes /msg @NICK, commands pass, //text sends /text', () => {
      expect(outgoing('hi there', 'Bob')).to.equal('/msg @Bob hi there');
      expect(outgoing('/quit', 'Bob')).to.equal('/quit');
      expect(outgoing('//shrug', 'Bob')).to.equal('/msg @Bob /shrug');
    });
  });

  describe('afterOverlap', () => {
    it('returns the replayed lines after those already shown', () => {
      expect(afterOverlap(['a', 'b', 'c'], ['b', 'c', 'd', 'e'])).to.deep.equal({
        fresh: ['d', 'e'],
        continues: true,
      });
      expect(afterOverlap(['a', 'b', 'c'], ['a', 'b', 'c'])).to.deep.equal({
        fresh: [],
        continues: true,
      });
    });

    it('takes the longest overlap when lines repeat', () => {
      expect(afterOverlap(['x', 'a', 'a'], ['a', 'a', 'b'])).to.deep.equal({
        fresh: ['b'],
        continues: true,
      });
    });

    it('says when the replay does not continue what was shown (messages may be missing)', () => {
      expect(afterOverlap(['a', 'b'], ['y', 'z'])).to.deep.equal({
        fresh: ['y', 'z'],
        continues: false,
      });
    });
  });
});
