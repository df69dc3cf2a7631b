import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'chai';
import { SignJWT } from 'jose';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { ClientPage } from '../support/client-page.js';
import { eventually } from '../support/eventually.js';
import { createRoom } from '../support/rooms.js';
import { type TestServer, joinPath, startTestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

const ADMIN_TOKEN = 'the-operators-token';

/** Where the README's screenshot goes (rewritten only with PARLEY_SCREENSHOT=1). */
const SCREENSHOT = fileURLToPath(new URL('../../../docs/img/client.png', import.meta.url));

describe('Browser client at /client (Chromium)', function () {
  this.timeout(30_000);
  let browser: Browser;
  let server: TestServer;
  let pages: ClientPage[] = [];

  before(async function () {
    browser = await launchChromium(this);
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    server = await startTestServer({ adminToken: ADMIN_TOKEN });
    pages = [];
  });

  afterEach(async () => {
    for (const page of pages) await page.close();
    await server.stop();
  });

  async function open(options: BrowserContextOptions = {}): Promise<ClientPage> {
    const page = await ClientPage.open(browser, server.url, options);
    pages.push(page);
    return page;
  }

  it('lists the rooms, filters them as you type, and creates a room', async () => {
    for (const name of ['Alpha', 'Beta', 'Alphabet']) await createRoom(server.url, name);
    const ann = await open();
    const rooms = ann.page.getByRole('list', { name: 'Rooms' }).getByRole('button');
    await eventually('three rooms', async () => (await rooms.count()) === 3);
    await ann.page.getByLabel('Filter rooms').fill('alp');
    expect(await rooms.allInnerTexts()).to.deep.equal(['Alpha', 'Alphabet']);
    await ann.page.getByLabel('Filter rooms').fill('zzz');
    await ann.page.getByText('No room matches the filter.').waitFor();

    await ann.join('Ann', 'Gamma');
    const listed = (await fetch(`${server.url}/chat`).then((r) => r.json())) as { name: string }[];
    expect(listed.map((room) => room.name)).to.include('Gamma');
    await ann.waitForPeople(['Ann (you)']);
    ann.expectNoProblems();
    expect(ann.consoleErrors).to.deep.equal([]);
  });

  it('shows two people in one room each other’s messages and presence, live; leaving; switching rooms', async () => {
    await createRoom(server.url, 'Elsewhere');
    const ann = await open();
    await ann.join('Ann', 'Lobby');
    const bob = await open();
    await bob.join('Bob', 'Lobby');

    await ann.waitForPeople(['Ann (you)', 'Bob']);
    await bob.waitForPeople(['Ann', 'Bob (you)']);
    await ann.waitForLogLine(/^Bob joined$/);
    await bob.send('Hi Ann!');
    await ann.waitForText('Hi Ann!');
    await ann.send('Hello Bob');
    await bob.waitForText('Hello Bob');
    expect(await ann.messages()).to.deep.equal(await bob.messages());
    expect((await ann.messages()).map((m) => m.author)).to.deep.equal(['Bob', 'Ann']);

    // Bob leaves, and from the room list goes to another room.
    await bob.page.getByRole('button', { name: 'Leave room' }).click();
    await ann.waitForPeople(['Ann (you)']);
    await ann.waitForLogLine(/^Bob left$/);
    await bob.page.getByRole('heading', { name: 'Rooms' }).waitFor();
    expect(await bob.statusText()).to.match(/^Not connected/);
    await bob.page.getByRole('button', { name: 'Elsewhere', exact: true }).click();
    await bob.waitForState('connected');
    await bob.page.getByRole('heading', { level: 2, name: 'Elsewhere' }).waitFor();
    await bob.waitForPeople(['Bob (you)']);
    for (const page of [ann, bob]) {
      page.expectNoProblems();
      expect(page.consoleErrors).to.deep.equal([]);
    }
  });

  it('sends a private message to a name chosen in the people list: only the two see it', async () => {
    const ann = await open();
    await ann.join('Ann', 'Lobby');
    const bob = await open();
    await bob.join('Bob', 'Lobby');
    const cy = await open();
    await cy.join('Cy', 'Lobby');
    await ann.waitForPeople(['Ann (you)', 'Bob', 'Cy']);
    await bob.send('Morning, everyone');
    await ann.waitForText('Morning, everyone');

    await ann.page.getByRole('button', { name: 'Private message to Bob' }).click();
    const box = ann.page.getByLabel('Message', { exact: true });
    expect(await box.inputValue()).to.equal('/msg @Bob ');
    expect(await ann.focusedId()).to.equal('message');
    await box.press('End');
    await box.pressSequentially('lunch at noon?');
    await box.press('Enter');

    const privateLine = /^Ann to Bob \(private\)[\s\S]*lunch at noon\?$/;
    await bob.waitForLogLine(privateLine);
    await ann.waitForLogLine(privateLine);
    await ann.send('Anyone else hungry?'); // after the private one: once Cy has it, Cy had the chance
    await cy.waitForText('Anyone else hungry?');
    expect((await cy.logLines()).join('\n')).not.to.include('lunch at noon');
    for (const page of [ann, bob, cy]) page.expectNoProblems();

    if (process.env.PARLEY_SCREENSHOT === '1') {
      await bob.send('Sure, see you there');
      await ann.waitForText('Sure, see you there');
      await mkdir(dirname(SCREENSHOT), { recursive: true });
      await ann.page.screenshot({ path: SCREENSHOT });
    }
  });

  it('goes back to the rooms with the reason when the join is refused (nickname taken)', async () => {
    const ann = await open();
    await ann.join('Ann', 'Lobby');
    const other = await open();
    await other.page.getByLabel('Your nickname').fill('Ann');
    await other.page.getByRole('button', { name: 'Lobby', exact: true }).click();
    await other.page
      .getByRole('alert')
      .filter({ hasText: /^Could not join: .*taken/ })
      .waitFor();
    await other.page.getByRole('heading', { name: 'Rooms' }).waitFor();
    expect(await other.statusText()).to.match(/^Not connected/);
    other.expectNoProblems();
  });

  it('rejoins the room in the address after a reload, under the saved nickname', async () => {
    const ann = await open();
    await ann.join('Ann', 'Lobby');
    await ann.send('before the reload');
    await ann.page.reload();
    await ann.waitForState('connected');
    await ann.page.getByRole('heading', { level: 2, name: 'Lobby' }).waitFor();
    await ann.waitForText('before the reload'); // the replay
    await ann.waitForPeople(['Ann (you)']);
    ann.expectNoProblems();
  });

  it('joins a server that requires access tokens, as the nickname the token names', async () => {
    const secret = 'a secret the token issuer and Parley share';
    const guarded = await startTestServer({ storage: 'memory', jwtSecret: secret });
    try {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ann')
        .setIssuedAt()
        .sign(new TextEncoder().encode(secret));
      const ann = await ClientPage.open(browser, guarded.url);
      pages.push(ann);
      await ann.page.getByLabel('Your nickname').fill('Mallory');
      await ann.page.getByLabel('Create or join a room by name').fill('Vault');
      await ann.page.getByRole('button', { name: 'Go', exact: true }).click();
      await ann.page
        .getByRole('alert')
        .filter({ hasText: /auth_required/ })
        .waitFor();

      await ann.page.getByText('Access token', { exact: true }).click();
      await ann.page.getByLabel('Access token, if this server asks for one').fill(token);
      await ann.page.getByRole('button', { name: 'Go', exact: true }).click();
      await ann.waitForState('connected');
      expect(await ann.statusText()).to.equal('Connected (WebSocket)');
      await ann.waitForPeople(['ann (you)']);
      await ann.send('signed in');
      await ann.waitForText('signed in');
      expect((await ann.messages())[0]?.author).to.equal('ann');
      ann.expectNoProblems();
    } finally {
      await guarded.stop();
    }
  });

  it('shows the operator’s announcement, and that the room was closed (then no reconnecting)', async () => {
    const ann = await open();
    await ann.join('Ann', 'Lobby');
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const broadcast = await fetch(`${server.url}/admin/broadcast`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ text: 'Maintenance at 10:00' }),
    });
    expect(broadcast.status).to.equal(200);
    await ann.waitForLogLine(/^Announcement: Maintenance at 10:00$/);

    const [room] = (await fetch(`${server.url}/chat`).then((r) => r.json())) as { id: string }[];
    const closed = await fetch(`${server.url}/chat/${room!.id}`, {
      method: 'DELETE',
      headers: admin,
    });
    expect(closed.status).to.equal(200);
    await ann.waitForLogLine(/^The operator closed this room$/);
    await eventually('told', async () => /^Disconnected/.test(await ann.statusText()));
    expect(await ann.statusText()).to.equal('Disconnected: the operator closed this room');
    expect(await ann.page.getByLabel('Message', { exact: true }).isDisabled()).to.equal(true);
    await ann.page.getByRole('button', { name: 'Leave room' }).click();
    await ann.page.getByRole('heading', { name: 'Rooms' }).waitFor();
    ann.expectNoProblems();
  });

  it('shows a message that looks like HTML as text, and runs nothing', async () => {
    const ann = await open();
    await ann.join('Ann', 'Lobby');
    const bob = await open();
    await bob.join('Bob', 'Lobby');
    const attack = '<img src=x onerror=alert(1)>';
    const link = 'see https://example.com/<b>bold</b> and <script>alert(2)</script>';
    await ann.send(attack);
    await ann.send(link);
    await bob.waitForText(link);
    for (const page of [ann, bob]) {
      expect(await page.texts()).to.deep.equal([attack, link]);
      expect(await page.page.locator('#log img, #log script, #log a, #log b').count()).to.equal(0);
      page.expectNoProblems(); // no dialog, no CSP violation, no error
    }
  });

  it('replays the recent history at join and scrolls back through older pages', async () => {
    const roomId = await createRoom(server.url, 'Archive');
    const writer = await joinedClient(server.ws(joinPath(roomId, 'Writer')), 'Writer');
    for (const n of range(1, 120)) writer.send(`old ${n}`);
    await writer.waitFor((e) => e.event_type === 'message' && e.seq === 120);
    await writer.close();

    const ann = await open();
    await ann.join('Ann', 'Archive');
    await eventually('the replay', async () => (await ann.messages()).length === 15);
    expect((await ann.messages()).map((m) => m.seq)).to.deep.equal(range(106, 120));
    const older = ann.page.getByRole('button', { name: 'Load older messages' });
    for (const oldest of [56, 6, 1]) {
      await older.click();
      await eventually(`back to ${oldest}`, async () => (await ann.messages())[0]?.seq === oldest);
    }
    expect((await ann.messages()).map((m) => m.seq)).to.deep.equal(range(1, 120));
    expect(await older.isHidden()).to.equal(true);
    const fromBottom = `(() => { const log = document.getElementById('log');
      return log.scrollHeight - log.scrollTop - log.clientHeight; })()`;
    expect(await ann.page.evaluate(fromBottom), 'reading the old pages').to.be.greaterThan(100);
    await ann.send('back to the present'); // one's own message is scrolled to
    await ann.waitForText('back to the present');
    await eventually('at the bottom', async () => Number(await ann.page.evaluate(fromBottom)) < 2);
    ann.expectNoProblems();
  });

  it('runs /commands and shows their answers readably: /help, /list, /rooms, /ignore, /nick, /join', async () => {
    const ann = await open();
    await ann.join('Ann', 'Lobby');
    const bob = await open();
    await bob.join('Bob', 'Lobby');
    await ann.send('/help');
    await ann.waitForLogLine(/^Commands\n[\s\S]*\/msg @nick text: /);
    await ann.send('/list');
    await ann.waitForLogLine(/^In Lobby \(2\)\nAnn\nBob$/);
    await ann.send('/rooms');
    await ann.waitForLogLine(/^Rooms \(1\)\nLobby: 2 here$/);
    await ann.send('/ignore @Bob');
    await ann.waitForLogLine(/^You ignore\nBob$/);
    await ann.send('/bogus');
    await ann.waitForLogLine(/\(unknown_command\)$/);

    await bob.send('/nick Robert');
    await ann.waitForLogLine(/^Bob is now known as Robert$/);
    await ann.waitForPeople(['Ann (you)', 'Robert']);
    await bob.waitForPeople(['Ann', 'Robert (you)']);

    await ann.send('/join #Den');
    await ann.page.getByRole('heading', { level: 2, name: 'Den' }).waitFor();
    await ann.waitForPeople(['Ann (you)']);
    await ann.waitForLogLine(/^You are now in Den$/);
    await bob.waitForPeople(['Robert (you)']);
    await ann.send('first words in Den');
    await ann.waitForText('first words in Den');
    expect(await ann.texts()).to.deep.equal(['first words in Den']);
    ann.expectNoProblems();
  });

  it('works by keyboard alone', async () => {
    const ann = await open();
    const keyboard = ann.page.keyboard;
    await ann.page.getByLabel('Your nickname').focus();
    await keyboard.type('Kim');
    // nickname → "Access token" (closed) → filter → Refresh → new room name
    for (let tab = 0; tab < 4; tab += 1) await keyboard.press('Tab');
    expect(await ann.focusedId()).to.equal('new-room');
    await keyboard.type('Keys');
    await keyboard.press('Enter');
    await ann.waitForState('connected');
    // Joining puts the caret in the message box.
    await keyboard.type('typed, not clicked');
    await keyboard.press('Enter');
    await ann.waitForText('typed, not clicked');
    await keyboard.press('Shift+Tab'); // back to the conversation, scrollable by keyboard
    expect(await ann.focusedId()).to.equal('log');
    ann.expectNoProblems();
  });

  it('has no serious or critical accessibility violations (axe), light and dark, 375 px wide', async () => {
    await createRoom(server.url, 'Lobby');
    const ann = await open({ viewport: { width: 375, height: 740 } });
    /** Scans the page in both colour schemes (the dark one has its own colours to check). */
    const axe = async (): Promise<string[]> => {
      const found: string[] = [];
      for (const colorScheme of ['light', 'dark'] as const) {
        await ann.page.emulateMedia({ colorScheme });
        const results = await new AxeBuilder({ page: ann.page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
          .analyze();
        for (const violation of results.violations) {
          if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
          const where = violation.nodes.map((node) => node.target.join(' ')).join(', ');
          found.push(`${colorScheme}: ${violation.id}: ${where}`);
        }
      }
      return found;
    };
    await ann.page.getByRole('button', { name: 'Lobby', exact: true }).waitFor();
    expect(await axe()).to.deep.equal([]);

    await ann.join('Ann', 'Lobby');
    const bob = await open();
    await bob.join('Bob', 'Lobby');
    await bob.send(
      'A long message that has to wrap on a narrow screen: averyveryverylongwordthatneverendsatall',
    );
    await ann.send('/help');
    await ann.send('/msg @Bob a private word');
    await ann.waitForLogLine(/a private word$/);
    await ann.page.getByRole('button', { name: 'Private message to Bob' }).waitFor();
    expect(await axe()).to.deep.equal([]);
    const overflow = await ann.page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow, 'horizontal scrolling at 375 px').to.equal(0);
    ann.expectNoProblems();
  });
});
