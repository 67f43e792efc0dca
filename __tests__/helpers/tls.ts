// A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost, made
// with the openssl command (node:crypto cannot issue X.509 certificates) in a fresh temporary
// directory. P-256 keys: generated in milliseconds, unlike RSA. A client trusts the CA through
// GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (gRPC) or `ca` (node:tls); a server serves cert + key.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayTls {
  /** The directory holding every file below; removed by cleanup(). */
  dir: string;
  /** The CA certificate (PEM file): what clients trust. */
  caFile: string;
  /** The server certificate (PEM file), signed by the CA. */
  certFile: string;
  /** The server's private key (PEM file). */
  keyFile: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  cleanup(): void;
}

export interface ThrowawayTlsOptions {
  /** Subject alternative names of the server certificate. Default 127.0.0.1 and localhost. */
  ips?: string[];
  dnsNames?: string[];
  /** Validity in days. Default 2. */
  days?: number;
}

export function makeThrowawayTls(options: ThrowawayTlsOptions = {}): ThrowawayTls {
  const ips = options.ips ?? ['127.0.0.1'];
  const dnsNames = options.dnsNames ?? ['localhost'];
  const days = String(options.days ?? 2);
  const dir = mkdtempSync(join(tmpdir(), 'wbvl-tls-'));
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    openssl(
      'req',
      '-x509',
      ...ec,
      '-days',
      days,
      '-subj',
      '/CN=wb-vertex-launch throwaway CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
    );
    openssl(
      'req',
      ...ec,
      '-subj',
      '/CN=localhost',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr'),
    );
    const san = [...ips.map((ip) => `IP:${ip}`), ...dnsNames.map((d) => `DNS:${d}`)].join(',');
    writeFileSync(
      file('server.ext'),
      `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      days,
      '-extfile',
      file('server.ext'),
      '-out',
      file('server.pem'),
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(
      `openssl could not make the test certificates: ${stderr || (e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  // The CA's key is not needed once the server certificate is signed.
  rmSync(file('ca.key'), { force: true });
  return {
    dir,
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    ca: readFileSync(file('ca.pem')),
    cert: readFileSync(file('server.pem')),
    key: readFileSync(file('server.key')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
