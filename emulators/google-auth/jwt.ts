// RS256 JWTs with a throwaway key, as GitHub's OIDC issuer signs them; the STS stand-in
// verifies with the public half, so a forged or altered token is rejected as Google's would be.
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid: `key-${Date.now().toString(36)}`,
    privateKey,
    publicKey: createPublicKey(privateKey),
  };
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key.privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}

/** The claims of a JWT signed by `key`, or a reason it is not one. */
export function verifyJwt(
  key: SigningKey,
  token: string,
): { claims: Record<string, unknown> } | { reason: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { reason: 'not a JWT' };
  const [header, payload, signature] = parts as [string, string, string];
  let alg: unknown;
  try {
    alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: unknown }).alg;
  } catch {
    return { reason: 'unparsable JWT header' };
  }
  if (alg !== 'RS256') return { reason: `unsupported alg ${String(alg)}` };
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    key.publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) return { reason: 'invalid signature' };
  try {
    return {
      claims: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
    };
  } catch {
    return { reason: 'unparsable JWT payload' };
  }
}
