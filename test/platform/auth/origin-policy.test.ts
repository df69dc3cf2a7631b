import { expect } from 'chai';
import { OriginPolicy, scrubToken } from '../../../platform/auth/origin-policy.js';

describe('OriginPolicy', () => {
  const HOST = 'chat.example.net:8080';

  it('by default accepts no origin and the same origin only, except on seed endpoints', () => {
    const policy = new OriginPolicy('');
    expect(policy.allows(undefined, HOST)).to.equal(true);
    expect(policy.allows('https://chat.example.net:8080', HOST)).to.equal(true);
    expect(policy.allows('https://CHAT.example.net:8080', HOST)).to.equal(true);
    expect(policy.allows('https://chat.example.net', HOST)).to.equal(false);
    expect(policy.allows('https://evil.example', HOST)).to.equal(false);
    expect(policy.allows('null', HOST)).to.equal(false);
    expect(policy.allows('https://evil.example', HOST, true)).to.equal(true);
  });

  it('matches listed origins, schemeless entries and subdomain wildcards', () => {
    const policy = new OriginPolicy(' https://app.example.com/ , *.example.org, localhost:8099 ');
    expect(policy.allows('https://app.example.com', HOST)).to.equal(true);
    expect(policy.allows('http://app.example.com', HOST)).to.equal(false);
    expect(policy.allows('https://x.example.org', HOST)).to.equal(true);
    expect(policy.allows('http://x.y.example.org', HOST)).to.equal(true);
    expect(policy.allows('https://example.org', HOST)).to.equal(false);
    expect(policy.allows('https://badexample.org', HOST)).to.equal(false);
    expect(policy.allows('http://localhost:8099/', HOST)).to.equal(true);
    expect(policy.allows('http://localhost:8098', HOST)).to.equal(false);
    expect(policy.allows('https://evil.example', HOST, true)).to.equal(false); // a list binds seeds too
  });

  it('* accepts any origin', () => {
    expect(new OriginPolicy('*').allows('null', HOST)).to.equal(true);
  });
});

describe('scrubToken', () => {
  it('hides the token parameter wherever it is in the query', () => {
    expect(scrubToken('/chat/join?token=abc.def.ghi&name=x')).to.equal(
      '/chat/join?token=[redacted]&name=x',
    );
    expect(scrubToken('/v1.0/chat?a=1&TOKEN=abc')).to.equal('/v1.0/chat?a=1&TOKEN=[redacted]');
    expect(scrubToken('/chat/join?name=tokenish')).to.equal('/chat/join?name=tokenish');
  });
});
