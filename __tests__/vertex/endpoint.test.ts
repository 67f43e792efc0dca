import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.ts';
import { defaultVertexHost, resolveVertexEndpoint } from '../../src/vertex/endpoint.ts';

describe('default endpoint', () => {
  test('regional, global and other universes', () => {
    expect(resolveVertexEndpoint({ region: 'us-central1' })).toEqual({
      host: 'us-central1-aiplatform.googleapis.com',
      port: 443,
      tls: true,
    });
    expect(defaultVertexHost('global')).toBe('aiplatform.googleapis.com');
    expect(defaultVertexHost('u-france-east1', 'apis-s3nsapis.fr')).toBe(
      'u-france-east1-aiplatform.apis-s3nsapis.fr',
    );
    expect(resolveVertexEndpoint({ region: 'europe-west4', endpoint: '  ' }).host).toBe(
      'europe-west4-aiplatform.googleapis.com',
    );
  });

  test('a malformed region or universe is an inputs error naming the input', () => {
    for (const [region, universe, input] of [
      ['US Central', undefined, 'region'],
      ['us-central1', 'not a domain', 'universe'],
    ] as const) {
      try {
        resolveVertexEndpoint({ region, universe });
        throw new Error('expected a UserError');
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as UserError).phase).toBe('inputs');
        expect((e as UserError).problems[0].path).toBe(input);
      }
    }
  });
});

describe('vertex-endpoint forms', () => {
  test.each([
    [
      'us-central1-aiplatform.p.googleapis.com',
      { host: 'us-central1-aiplatform.p.googleapis.com', port: 443, tls: true },
    ],
    ['localhost:8443', { host: 'localhost', port: 8443, tls: true }],
    ['https://127.0.0.1:9443', { host: '127.0.0.1', port: 9443, tls: true }],
    ['https://vertex.internal.example/', { host: 'vertex.internal.example', port: 443, tls: true }],
    ['http://127.0.0.1:50051', { host: '127.0.0.1', port: 50051, tls: false }],
    ['HTTP://[::1]:50051', { host: '[::1]', port: 50051, tls: false }],
  ])('%s', (endpoint, expected) => {
    expect(resolveVertexEndpoint({ region: 'us-central1', endpoint })).toEqual(expected);
  });

  test.each([
    ['grpc://127.0.0.1:50051', 'scheme "grpc://"'],
    ['http://127.0.0.1', 'explicit port'],
    ['https://host:99999', '"99999" is not a port number'],
    ['https://host:12ab', 'not a port number'],
    ['https://host/v1/projects', 'path'],
    ['https://user:pw@host:443', 'user information'],
    ['http://:50051', 'is not a host name'],
    ['host name:443', 'is not a host name'],
  ])('%s is rejected (%s)', (endpoint, why) => {
    let error: unknown;
    try {
      resolveVertexEndpoint({ region: 'us-central1', endpoint });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const u = error as UserError;
    expect(u.phase).toBe('inputs');
    expect(u.problems[0].path).toBe('vertex-endpoint');
    expect(u.message).toContain(why);
    expect(u.message).toContain('http://HOST:PORT');
  });
});
