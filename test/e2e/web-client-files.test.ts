import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('The browser client’s files at /client/', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ storage: 'memory' })));
  after(() => server.stop());

  it('GET /client redirects to /client/, so the page’s relative asset paths resolve', async () => {
    const answer = await fetch(`${server.url}/client`, { redirect: 'manual' });
    expect(answer.status).to.equal(301);
    expect(answer.headers.get('location')).to.equal('/client/');
  });

  it('GET /client/: the page, under the script policy, with every asset a local file and no inline code', async () => {
    const page = await fetch(`${server.url}/client/`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('content-security-policy')).to.contain("script-src 'self'");
    const html = await page.text();
    expect(html, 'no address of another site (no CDN)').not.to.match(
      /(src|href)=["']?(https?:)?\/\//,
    );
    expect(/<script(?![^>]*\ssrc=)[^>]*>/.test(html), 'no inline script').to.equal(false);
    expect(/\son[a-z]+=/i.test(html), 'no inline event handler').to.equal(false);
    const assets = [...html.matchAll(/\s(?:src|href)=["']([^"'#]+)["']/g)].map((m) => m[1]!);
    expect(assets).to.include.members(['app.js', 'app.css', 'icon.svg']);
    const types: Record<string, RegExp> = {
      'app.js': /javascript/,
      'app.css': /^text\/css/,
      'icon.svg': /^image\/svg\+xml/,
    };
    for (const asset of assets) {
      const answer = await fetch(new URL(asset, `${server.url}/client/`));
      expect(answer.status, asset).to.equal(200);
      expect(answer.headers.get('content-type'), asset).to.match(types[asset] ?? /./);
      const body = await answer.text();
      if (asset === 'app.js')
        expect(body, 'the bundle loads nothing from elsewhere').not.to.match(
          /\bimport\s*\(|https?:\/\//,
        );
    }
  });

  it('answers a file it does not have with the API’s 404 not_found', async () => {
    const answer = await fetch(`${server.url}/client/nope.js`);
    expect(answer.status).to.equal(404);
    expect(((await answer.json()) as { error: { code: string } }).error.code).to.equal('not_found');
  });
});
