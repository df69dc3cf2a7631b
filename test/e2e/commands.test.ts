import { expect } from 'chai';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

describe('Chat commands over WebSocket', () => {
  let server: TestServer;
  let room: string;
  let ann: TestClient;
  let bob: TestClient;

  beforeEach(async () => {
    server = await startTestServer({ storage: 'memory' });
    room = await createRoom(server.url, 'Commands');
    ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
    bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
  });

  afterEach(async () => {
    await Promise.all([ann.close(), bob.close()]);
    await server.stop();
  });

  it('/help lists every command with its syntax and description, to the asker only', async () => {
    ann.send('/help');
    const help = await ann.waitForType('help');
    const commands = help.commands as { name: string; syntax: string; description: string }[];
    expect(commands.map((c) => c.syntax)).to.include.members(['/list', '/history [n]']);
    for (const command of commands) expect(command.description).to.be.a('string').and.not.empty;
    bob.send('sync');
    await bob.waitFor((e) => e.text === 'sync');
    expect(bob.ofType('help')).to.deep.equal([]);
  });

  it('/list answers the participants of the current room', async () => {
    ann.send('/list');
    const list = await ann.waitForType('participants');
    expect(list).to.include({ id: room, name: 'Commands' });
    expect((list.participants as { name: string }[]).map((p) => p.name)).to.deep.equal([
      'Ann',
      'Bob',
    ]);
  });

  it('/rooms answers every room with its count', async () => {
    await createRoom(server.url, 'Other');
    bob.send('/rooms');
    const rooms = (await bob.waitForType('rooms')).rooms as {
      name: string;
      participants: number;
    }[];
    expect(rooms.map((r) => [r.name, r.participants])).to.deep.equal([
      ['Commands', 2],
      ['Other', 0],
    ]);
  });

  it('/history n answers the last n messages, oldest first', async () => {
    for (const text of ['one', 'two', 'three']) ann.send(text);
    await bob.waitForCount('message', 3);
    bob.send('/history 2');
    const history = await bob.waitForType('history');
    expect(history.room).to.equal(room);
    expect((history.messages as { text: string }[]).map((m) => m.text)).to.deep.equal([
      'two',
      'three',
    ]);
  });

  it('//text sends the literal /text to the room; unknown and malformed commands get an error and the connection stays', async () => {
    ann.send('//me waves');
    expect(await bob.waitForType('message')).to.include({ text: '/me waves', participant: 'Ann' });
    ann.send('/dance');
    expect(await ann.waitForType('error')).to.include({ code: 'unknown_command' });
    ann.send('/history lots');
    const invalid = await ann.waitFor((e) => e.code === 'invalid_command');
    expect(invalid.message).to.contain('/history [n]');
    ann.send('still here');
    await bob.waitFor((e) => e.text === 'still here');
    expect(bob.events.filter((e) => String(e.text).startsWith('/dance'))).to.deep.equal([]);
  });

  it('/quit says goodbye, closes normally, and the room sees the leave', async () => {
    ann.send('/quit time for lunch');
    expect(await ann.waitForType('goodbye')).to.include({ reason: 'time for lunch' });
    expect(await ann.closed).to.deep.equal({ code: 1000, reason: 'quit' });
    const left = await bob.waitFor((e) => e.event_type === 'participant_left');
    expect(left).to.include({ participant: 'Ann', reason: 'quit' });
  });

  it('/msg delivers a private_message to the recipient and echoes it to the sender, nobody else', async () => {
    const cid = await joinedClient(server.ws(joinPath(room, 'Cid')), 'Cid');
    ann.send('/msg @bob psst, over here');
    const toBob = await bob.waitForType('private_message');
    expect(toBob).to.include({ from: 'Ann', to: 'Bob', text: 'psst, over here', room });
    expect(await ann.waitForType('private_message')).to.deep.equal(toBob);
    cid.send('sync');
    await cid.waitFor((e) => e.text === 'sync');
    expect(cid.ofType('private_message')).to.deep.equal([]);
    ann.send('/history 10');
    expect((await ann.waitForType('history')).messages).to.have.length(1); // only "sync": private messages are not stored
    await cid.close();
  });

  it('/msg to someone not in the room gets participant_not_found', async () => {
    ann.send('/msg @Zed hello?');
    expect(await ann.waitForType('error')).to.include({ code: 'participant_not_found' });
  });

  it('/ignore hides the ignored one’s room and private messages; they are not told; /unignore undoes it', async () => {
    bob.send('/ignore @ann');
    expect(await bob.waitForType('ignored')).to.deep.include({ nicknames: ['Ann'] });
    ann.send('can you hear me?');
    ann.send('/msg @Bob psst');
    await ann.waitFor((e) => e.event_type === 'private_message'); // Ann's echo: no sign of the ignore
    bob.send('/ignored');
    await bob.waitFor((e) => e.event_type === 'ignored' && bob.ofType('ignored').length === 2);
    bob.send('checkpoint');
    await bob.waitFor((e) => e.text === 'checkpoint');
    expect(bob.ofType('message').map((e) => e.text)).to.deep.equal(['checkpoint']);
    expect(bob.ofType('private_message')).to.deep.equal([]);

    bob.send('/unignore Ann');
    await bob.waitFor((e) => e.event_type === 'ignored' && (e.nicknames as string[]).length === 0);
    ann.send('now?');
    expect(await bob.waitFor((e) => e.text === 'now?')).to.include({ participant: 'Ann' });
  });

  it('refuses to ignore yourself or someone absent, and to unignore someone not ignored', async () => {
    ann.send('/ignore @Ann');
    expect(await ann.waitFor((e) => e.event_type === 'error')).to.include({
      code: 'invalid_command',
    });
    ann.send('/ignore @Zed');
    await ann.waitFor((e) => e.code === 'participant_not_found');
    ann.send('/unignore @Bob');
    await ann.waitFor(
      (e) => e.code === 'participant_not_found' && String(e.message).includes('not ignoring'),
    );
  });

  it('/nick renames within the room: everyone sees participant_renamed, messages carry the new name, the old name is free', async () => {
    ann.send('/nick Anna');
    const renamed = await bob.waitForType('participant_renamed');
    expect(renamed).to.include({ from: 'Ann', to: 'Anna', room });
    await ann.waitForType('participant_renamed');
    ann.send('hello as Anna');
    expect(await bob.waitFor((e) => e.text === 'hello as Anna')).to.include({
      participant: 'Anna',
    });
    ann.send('/list');
    const list = await ann.waitForType('participants');
    expect((list.participants as { name: string }[]).map((p) => p.name)).to.deep.equal([
      'Anna',
      'Bob',
    ]);
    const newAnn = await joinedClient(server.ws(joinPath(room, 'ann')), 'ann');
    bob.send('/nick ANNA');
    expect(await bob.waitForType('error')).to.include({ code: 'nickname_taken' });
    await newAnn.close();
  });

  it('/nick to your own name announces nothing and answers invalid_command; a change of case is a real rename', async () => {
    ann.send('/nick Ann');
    const error = await ann.waitFor((e) => e.event_type === 'error');
    expect(error).to.include({ code: 'invalid_command', message: 'you are already called Ann' });
    ann.send('/nick ann');
    const renamed = await bob.waitForType('participant_renamed');
    expect(renamed).to.include({ from: 'Ann', to: 'ann' });
    expect(bob.ofType('participant_renamed')).to.have.length(1);
    expect(ann.ofType('participant_renamed')).to.have.length(1);
  });

  it('/join #room moves to another room (created if new): the old room sees the leave, the new one the join, history is replayed', async () => {
    const den = await createRoom(server.url, 'Den');
    const cid = await joinedClient(server.ws(joinPath(den, 'Cid')), 'Cid');
    cid.send('welcome to the den');
    await cid.waitFor((e) => e.text === 'welcome to the den');
    ann.send('/join #den');
    const moved = await ann.waitForType('joined_room');
    expect(moved).to.include({ room: den, name: 'Den' });
    const replay = ann.events.find((e) => e.history === true);
    expect(replay).to.include({ text: 'welcome to the den', room: den });
    expect(await bob.waitForType('participant_left')).to.include({
      participant: 'Ann',
      reason: 'moved',
    });
    await cid.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Ann');
    ann.send('hi den');
    await cid.waitFor((e) => e.text === 'hi den');
    bob.send('anyone?');
    await bob.waitFor((e) => e.text === 'anyone?');
    expect(ann.events.some((e) => e.text === 'anyone?')).to.equal(false);

    ann.send('/join #Brand New');
    const created = await ann.waitFor(
      (e) => e.event_type === 'joined_room' && e.name === 'Brand New',
    );
    expect(created.room).to.be.a('string').and.not.equal(den);
    await cid.waitFor((e) => e.event_type === 'participant_left' && e.participant === 'Ann');
    await cid.close();
  });

  it('/join refuses the room you are in, and a room where your nickname is taken, keeping you where you are', async () => {
    ann.send(`/join ${room}`);
    expect(await ann.waitForType('error')).to.include({ code: 'invalid_command' });
    const den = await createRoom(server.url, 'Den');
    const otherAnn = await joinedClient(server.ws(joinPath(den, 'ANN')), 'ANN');
    ann.send('/join Den');
    await ann.waitFor((e) => e.code === 'nickname_taken');
    ann.send('still in the first room');
    await bob.waitFor((e) => e.text === 'still in the first room');
    await otherAnn.close();
  });
});
