import { expect } from 'chai';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { eventually } from './eventually.js';

/** A message as the page shows it. */
export interface ShownMessage {
  readonly seq: number;
  readonly author: string;
  readonly text: string;
}

/** The little of a DOM element that `messages()` reads in the page (Node's types have no DOM). */
interface ShownItem {
  getAttribute(name: string): string | null;
  querySelector(selector: string): { readonly textContent: string | null } | null;
}

/**
 * One person using the browser client at `/client/`, in a browser context of their own, seen
 * as they see it: by labels, roles and the text on screen. It records what must never happen
 * on the page — a Content-Security-Policy violation, an uncaught error, a dialog (an `alert`
 * some message managed to run) — and, separately, console errors.
 */
export class ClientPage {
  /** CSP violations, uncaught errors and dialogs: each a failure wherever it happens. */
  readonly problems: string[] = [];
  /** Console errors (a refused WebSocket while the server is down logs one, legitimately). */
  readonly consoleErrors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Opens the client (`baseUrl` + `/client/`) in a new context. */
  static async open(
    browser: Browser,
    baseUrl: string,
    options: BrowserContextOptions = {},
  ): Promise<ClientPage> {
    const context = await browser.newContext({ viewport: { width: 900, height: 640 }, ...options });
    const page = await context.newPage();
    const client = new ClientPage(context, page);
    await page.exposeFunction('parleyTestCspViolation', (text: string) =>
      client.problems.push(`CSP violation: ${text}`),
    );
    // The page's own code (this is Node's): a listener installed before the client's scripts run.
    await page.addInitScript(
      `document.addEventListener('securitypolicyviolation', (event) =>
        window.parleyTestCspViolation(event.violatedDirective + ' ' + event.blockedURI));`,
    );
    page.on('pageerror', (error) => client.problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      client.problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') client.consoleErrors.push(message.text());
    });
    await page.goto(`${baseUrl}/client/`);
    return client;
  }

  /** Types the nickname, then goes to the room by name (creating it if no room has that name). */
  async join(nickname: string, roomName: string): Promise<void> {
    await this.page.getByLabel('Your nickname').fill(nickname);
    await this.page.getByLabel('Create or join a room by name').fill(roomName);
    await this.page.getByRole('button', { name: 'Go', exact: true }).click();
    await this.waitForState('connected');
    await this.page.getByRole('heading', { level: 2, name: roomName }).waitFor();
  }

  async send(text: string): Promise<void> {
    const box = this.page.getByLabel('Message', { exact: true });
    await box.fill(text);
    await box.press('Enter');
  }

  async waitForState(state: string, timeoutMs = 10_000): Promise<void> {
    await this.page.locator(`#status[data-state="${state}"]`).waitFor({ timeout: timeoutMs });
  }

  /** The id of the element that has the keyboard focus. */
  async focusedId(): Promise<string> {
    return String(await this.page.evaluate('document.activeElement?.id ?? ""'));
  }

  async statusText(): Promise<string> {
    return ((await this.page.getByRole('status').textContent()) ?? '').trim();
  }

  async messages(): Promise<ShownMessage[]> {
    return this.page.locator('#log li.message').evaluateAll((items: ShownItem[]) =>
      items.map((item) => ({
        seq: Number(item.getAttribute('data-seq')),
        author: item.querySelector('.author')?.textContent ?? '',
        text: item.querySelector('.text')?.textContent ?? '',
      })),
    );
  }

  async texts(): Promise<string[]> {
    return (await this.messages()).map((message) => message.text);
  }

  /** Every line of the conversation as shown, notices and replies included. */
  async logLines(): Promise<string[]> {
    return this.page.locator('#log-list > li').allInnerTexts();
  }

  /** Names in the people list ("Ann (you)" for oneself). */
  async people(): Promise<string[]> {
    return this.page.locator('#people > li').allInnerTexts();
  }

  async waitForText(text: string, timeoutMs = 5000): Promise<void> {
    await eventually(`"${text}" shown`, async () => (await this.texts()).includes(text), timeoutMs);
  }

  async waitForLogLine(pattern: RegExp, timeoutMs = 5000): Promise<void> {
    await eventually(
      `a line matching ${pattern}`,
      async () => (await this.logLines()).some((line) => pattern.test(line)),
      timeoutMs,
    );
  }

  async waitForPeople(names: string[], timeoutMs = 5000): Promise<void> {
    await eventually(
      `people ${names.join(', ')}`,
      async () => JSON.stringify(await this.people()) === JSON.stringify(names),
      timeoutMs,
    );
  }

  /** Fails the test if anything that must never happen on the page happened. */
  expectNoProblems(): void {
    expect(this.problems).to.deep.equal([]);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
