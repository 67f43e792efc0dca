// What a push uploaded, read from the registry's own access log: every finished blob upload
// is a `PUT /v2/<name>/blobs/uploads/<uuid>?...&digest=<digest>` answered 201. Blobs mounted
// from another repository or already present are never PUT, so they do not count. Sizes come
// from the registry (HEAD of each blob).

export interface Upload {
  repository: string;
  digest: string;
}

const PUT_BLOB = /"PUT \/v2\/(.+?)\/blobs\/uploads\/[^" ?]+\?[^" ]*digest=([^&" ]+)[^"]*" 201 /;

export function uploadsInLog(log: string): Upload[] {
  const out: Upload[] = [];
  for (const line of log.split('\n')) {
    const m = PUT_BLOB.exec(line);
    if (m) out.push({ repository: m[1], digest: decodeURIComponent(m[2]) });
  }
  return out;
}

/** Size in bytes of a blob, as the registry reports it. */
export async function blobSize(
  registryHost: string,
  token: string,
  upload: Upload,
): Promise<number> {
  const res = await fetch(`http://${registryHost}/v2/${upload.repository}/blobs/${upload.digest}`, {
    method: 'HEAD',
    headers: {
      Authorization: 'Basic ' + Buffer.from(`oauth2accesstoken:${token}`).toString('base64'),
    },
  });
  if (res.status !== 200) throw new Error(`HEAD blob ${upload.digest}: HTTP ${res.status}`);
  return Number(res.headers.get('content-length'));
}

/** Blobs uploaded in the log lines after `offset` characters, with their sizes. */
export async function uploadedSince(
  log: string,
  offset: number,
  registryHost: string,
  token: string,
): Promise<{ uploads: (Upload & { size: number })[]; bytes: number }> {
  const uploads = await Promise.all(
    uploadsInLog(log.slice(offset)).map(async (u) => ({
      ...u,
      size: await blobSize(registryHost, token, u),
    })),
  );
  return { uploads, bytes: uploads.reduce((a, u) => a + u.size, 0) };
}
