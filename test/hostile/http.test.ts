import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { shareAcrossTests, startChildServer, type ChildServer } from '../support/child-server.js';
import { rawHttp, upgradeRequest, type RawAnswer } from '../support/raw-http.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * Hostile HTTP input against a real server process: every request gets an answer with a
 * status and the JSON error body, the server goes on, and a client's mistake is never logged
 * as a server error.
 */
describe('Hostile HTTP input (real process)', function () {
  this.timeout(20_000);
  let server: ChildServer;
  let dir: { path: string; remove(): Promise<void> };

  before(async () => {
    dir = await makeTempDir();
    server = shareAcrossTests(
      await startChildServer(['--data-dir', dir.path, '--headers-timeout', '1']),
    );
  });

  after(async () => {
    server.process.kill('SIGTERM');
    await server.exited;
    await dir.remove();
  });

  const request = (text: string | Buffer): Promise<RawAnswer> => rawHttp(server.port, text);
  const get = (target: string): string =>
    `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
  const post = (headers: string, body: Buffer | string): Buffer =>
    Buffer.concat([
      Buffer.from(
        `POST /chat HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          `${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      ),
      Buffer.from(body),
    ]);

  function expectError(answer: RawAnswer, status: number, code: string): void {
    expect(answer.status, answer.body).to.equal(status);
    expect(answer.headers['content-type']).to.match(/^application\/json/);
    expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).to.equal(code);
  }

  async function expectAlive(): Promise<void> {
    expect((await request(get('/ping'))).body).to.equal('pong');
    expect(server.process.exitCode).to.equal(null);
  }

  it('answers an upgrade whose target is not a URL (GET //[) with 400 and goes on', async () => {
    expectError(await request(upgradeRequest('//[')), 400, 'invalid_request');
    expectError(await request(upgradeRequest('http://[')), 400, 'invalid_request');
    await expectAlive();
  });

  it('answers a plain request whose target is not a URL with the JSON error body, not an HTML page', async () => {
    expectError(await request(get('http://[')), 400, 'invalid_request');
    expectError(await request(get('//[')), 400, 'invalid_request');
    await expectAlive();
  });

  it('answers a path that is not valid percent-encoding with 400, on REST and upgrade alike', async () => {
    for (const target of ['/chat/%ZZ', '/chat/%E0%A4%A', '/chat/%ZZ/messages']) {
      expectError(await request(get(target)), 400, 'invalid_request');
    }
    expectError(await request(upgradeRequest('/%ZZ/Ann')), 400, 'invalid_request');
    await expectAlive();
  });

  it('answers a body it cannot read: unknown encoding 415, broken gzip 400, unknown charset 415', async () => {
    expectError(
      await request(post('Content-Encoding: bogus\r\n', '{}')),
      415,
      'unsupported_encoding',
    );
    expectError(await request(post('Content-Encoding: gzip\r\n', 'abcd')), 400, 'invalid_request');
    const truncated = gzipSync('{"name":"Lobby"}').subarray(0, 12);
    expectError(
      await request(post('Content-Encoding: gzip\r\n', truncated)),
      400,
      'invalid_request',
    );
    const charset = post('', '{}')
      .toString()
      .replace('application/json', 'application/json; charset=bogus');
    expectError(await request(charset), 415, 'unsupported_encoding');
    const gzipped = post('Content-Encoding: gzip\r\n', gzipSync('{"name":"Zipped"}'));
    expect((await request(gzipped)).status).to.equal(201); // a well-formed compressed body works
    await expectAlive();
  });

  it('answers what is not HTTP, and headers too large, with a JSON error', async () => {
    expectError(await request('HELLO\r\n\r\n'), 400, 'invalid_request');
    const huge = `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expectError(await request(huge), 431, 'headers_too_large');
    await expectAlive();
  });

  it('cuts a client that sends its headers too slowly (slowloris) with 408', async () => {
    const answer = await rawHttp(server.port, 'GET /ping HTTP/1.1\r\nHost: x\r\n', 5000);
    expectError(answer, 408, 'request_timeout');
    await expectAlive();
  });

  it('never logs a client mistake as a server error', () => {
    const errors = server
      .stderr()
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line));
    expect(errors).to.deep.equal([]);
  });
});
