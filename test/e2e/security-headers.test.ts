import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The directives of a Content-Security-Policy header, by name. */
function directives(policy: string | null): Map<string, string[]> {
  expect(policy, 'a Content-Security-Policy header').to.be.a('string');
  return new Map(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0] !== '')
      .map(([name = '', ...sources]) => [name, sources]),
  );
}

describe('Security headers (helmet) on HTTP answers', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ storage: 'memory' })));
  after(() => server.stop());

  for (const path of ['/', '/chat', '/ping', '/docs/openapi.json']) {
    it(`GET ${path}: nosniff, frame and referrer policies, and a CSP with no inline script`, async () => {
      const response = await fetch(server.url + path);
      await response.arrayBuffer();
      const headers = response.headers;
      expect(headers.get('x-content-type-options')).to.equal('nosniff');
      expect(headers.get('x-frame-options')).to.equal('SAMEORIGIN');
      expect(headers.get('referrer-policy')).to.equal('no-referrer');
      expect(headers.get('cross-origin-opener-policy')).to.equal('same-origin');
      expect(headers.get('x-powered-by')).to.equal(null);
      expect(headers.get('strict-transport-security'), 'the TLS terminator sets it').to.equal(null);
      const csp = directives(headers.get('content-security-policy'));
      expect(csp.get('default-src')).to.deep.equal(["'self'"]);
      expect(csp.get('script-src')).to.deep.equal(["'self'"]);
      expect(csp.get('script-src-attr')).to.deep.equal(["'none'"]);
      expect(csp.get('object-src')).to.deep.equal(["'none'"]);
      expect(csp.get('connect-src')).to.deep.equal(["'self'"]);
      expect(csp.has('upgrade-insecure-requests'), 'Parley speaks plain HTTP').to.equal(false);
    });
  }

  it('GET /docs: Swagger UI still loads under the policy — its scripts are files of this server, its stylesheets too, and the only inline code is style', async () => {
    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).to.equal(200);
    const html = await page.text();
    const csp = directives(page.headers.get('content-security-policy'));
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).to.be.greaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
      expect(src, 'no inline script (script-src has no unsafe-inline)').to.be.a('string');
      expect(body.trim()).to.equal('');
      const url = new URL(src!, `${server.url}/docs/`);
      expect(url.origin, "same origin: script-src 'self'").to.equal(new URL(server.url).origin);
      const script = await fetch(url);
      expect(script.status, String(url)).to.equal(200);
      expect(script.headers.get('content-type')).to.match(/javascript/);
      await script.arrayBuffer();
    }
    expect(/\son[a-z]+=/i.test(html), 'no inline event handlers (script-src-attr none)').to.equal(
      false,
    );
    const sheets = [
      ...html.matchAll(/<link[^>]*rel=["']stylesheet["'][^>]*href=["']([^"']+)["']/g),
    ];
    for (const [, href = ''] of sheets) {
      const sheet = await fetch(new URL(href, `${server.url}/docs/`));
      expect(sheet.status, href).to.equal(200);
      await sheet.arrayBuffer();
    }
    if (/<style/.test(html)) expect(csp.get('style-src')).to.include("'unsafe-inline'");
    const init = await fetch(`${server.url}/docs/swagger-ui-init.js`);
    expect(await init.text(), 'the document is in the init script').to.contain('/chat/{id}/events');
  });
});
