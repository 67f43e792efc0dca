// The registry client's auth: challenge parsing, and the Bearer token-realm flow Artifact
// Registry uses, against a small local server speaking the Docker registry token protocol.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../../src/core/errors.ts';
import { parseWwwAuthenticate, tokenUrl } from '../../src/core/image/auth-challenge.ts';
import {
  MANIFEST_ACCEPT,
  RegistryClient,
  registryBaseUrl,
} from '../../src/docker/registry-client.ts';

describe('parseWwwAuthenticate', () => {
  test.each([
    ['Basic realm="registry"', [{ scheme: 'basic', params: { realm: 'registry' } }]],
    [
      'Bearer realm="https://us-docker.pkg.dev/v2/token",service="us-docker.pkg.dev",scope="repository:p/r/i:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://us-docker.pkg.dev/v2/token',
            service: 'us-docker.pkg.dev',
            scope: 'repository:p/r/i:pull',
          },
        },
      ],
    ],
    [
      'Bearer realm="a\\"b", error="insufficient_scope"',
      [{ scheme: 'bearer', params: { realm: 'a"b', error: 'insufficient_scope' } }],
    ],
    [
      'Basic realm="x", Bearer realm="y"',
      [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'bearer', params: { realm: 'y' } },
      ],
    ],
    ['BASIC realm=unquoted', [{ scheme: 'basic', params: { realm: 'unquoted' } }]],
    ['', []],
  ])('%s', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  test('token URL carries service and scope', () => {
    const [c] = parseWwwAuthenticate('Bearer realm="http://h/token?x=1",service="svc"');
    const u = new URL(tokenUrl(c, 'repository:a/b:pull')!);
    expect(u.searchParams.get('x')).toBe('1');
    expect(u.searchParams.get('service')).toBe('svc');
    expect(u.searchParams.get('scope')).toBe('repository:a/b:pull');
  });
});

test('loopback registries use http, others https', () => {
  expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
  expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000');
  expect(registryBaseUrl('us-docker.pkg.dev')).toBe('https://us-docker.pkg.dev');
});

describe('Bearer token realm (Artifact Registry style)', () => {
  const ACCESS_TOKEN = 'ya29.bearer-test-token';
  const DIGEST = 'sha256:' + 'c'.repeat(64);
  let server: Server;
  let host: string;
  const requests: { method: string; url: string; auth?: string; accept?: string }[] = [];
  const manifests = new Map<string, Buffer>([['ctx-1', Buffer.from('{"schemaVersion":2}')]]);

  const bearerOk = (req: IncomingMessage, scope: string) =>
    req.headers.authorization === `Bearer issued-for:${scope}`;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization,
        accept: req.headers.accept,
      });
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/v2/token') {
        const basic =
          'Basic ' + Buffer.from(`oauth2accesstoken:${ACCESS_TOKEN}`).toString('base64');
        if (req.headers.authorization !== basic) {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token: `issued-for:${url.searchParams.get('scope')}` }));
        return;
      }
      const m = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname);
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      const [, name, ref] = m;
      const scope =
        req.method === 'PUT' ? `repository:${name}:pull,push` : `repository:${name}:pull`;
      const alt = `repository:${name}:pull,push`;
      if (!bearerOk(req, scope) && !bearerOk(req, alt)) {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="http://${host}/v2/token",service="${host}",scope="${scope}"`,
        });
        res.end();
        return;
      }
      if (req.method === 'PUT') {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          manifests.set(decodeURIComponent(ref), Buffer.concat(chunks));
          res.writeHead(201, { 'docker-content-digest': DIGEST }).end();
        });
        return;
      }
      const body = manifests.get(decodeURIComponent(ref));
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
        'docker-content-digest': DIGEST,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  test('HEAD follows the challenge to the token realm with oauth2accesstoken and reuses the token', async () => {
    requests.length = 0;
    let tokenCalls = 0;
    const client = new RegistryClient({
      host,
      repository: 'proj/repo/trainer',
      getAccessToken: async () => {
        tokenCalls++;
        return ACCESS_TOKEN;
      },
    });
    expect(await client.headManifest('ctx-1')).toEqual({
      digest: DIGEST,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    expect(await client.headManifest('ctx-missing')).toBeUndefined();
    expect(requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'HEAD /v2/proj/repo/trainer/manifests/ctx-1',
      'GET /v2/token',
      'HEAD /v2/proj/repo/trainer/manifests/ctx-1',
      'HEAD /v2/proj/repo/trainer/manifests/ctx-missing', // cached bearer token, no new challenge
    ]);
    expect(requests[0].accept).toBe(MANIFEST_ACCEPT);
    expect(new URL(requests[1].url, 'http://x').searchParams.get('scope')).toBe(
      'repository:proj/repo/trainer:pull',
    );
    expect(tokenCalls).toBe(1);
  });

  test('retags through GET + PUT with a push-scoped token', async () => {
    const client = new RegistryClient({
      host,
      repository: 'proj/repo/trainer',
      getAccessToken: async () => ACCESS_TOKEN,
    });
    expect(await client.tagManifest('ctx-1', 'abc123')).toBe(DIGEST);
    expect(manifests.get('abc123')?.toString()).toBe('{"schemaVersion":2}');
  });

  test('a refused token is a build error that says what to check', async () => {
    const client = new RegistryClient({
      host,
      repository: 'proj/repo/trainer',
      getAccessToken: async () => 'bad',
    });
    const err = await client.headManifest('ctx-1').catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.phase).toBe('build');
    expect(err.message).toContain(`registry ${host} token service refused the credentials`);
    expect(err.message).toMatch(/roles\/artifactregistry\.writer/);
  });

  test('an unreachable registry is a clear build error', async () => {
    const client = new RegistryClient({
      host: '127.0.0.1:1',
      repository: 'a/b',
      getAccessToken: async () => 'x',
    });
    await expect(client.headManifest('t')).rejects.toThrow(/cannot reach registry 127\.0\.0\.1:1/);
  });
});
