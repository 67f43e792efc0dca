// Registry auth challenges (RFC 7235 WWW-Authenticate), as the Docker registry protocol uses
// them: `Basic realm="..."` for a plain htpasswd registry, `Bearer realm="...",service="...",
// scope="..."` for a token service such as Artifact Registry's. Pure.

export interface Challenge {
  scheme: string; // lower-cased: 'basic', 'bearer', ...
  params: Record<string, string>;
}

/** Parse a WWW-Authenticate header value into its challenges. */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const s = header;
  const skipSpace = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const token = () => {
    const start = i;
    while (i < s.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(s[i])) i++;
    return s.slice(start, i);
  };
  while (i < s.length) {
    skipSpace();
    while (s[i] === ',') {
      i++;
      skipSpace();
    }
    const scheme = token();
    if (scheme === '') break;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    // auth-params: name=value pairs separated by commas, until the next scheme token.
    for (;;) {
      skipSpace();
      const save = i;
      const name = token();
      skipSpace();
      if (name === '' || s[i] !== '=') {
        i = save; // the next challenge's scheme
        break;
      }
      i++; // '='
      skipSpace();
      let value = '';
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i++];
        }
        i++; // closing quote
      } else {
        value = token();
      }
      challenge.params[name.toLowerCase()] = value;
      skipSpace();
      if (s[i] === ',') {
        i++;
        continue;
      }
      break;
    }
  }
  return out;
}

/** The token request URL for a Bearer challenge, with service and scope as Docker sends them. */
export function tokenUrl(challenge: Challenge, scope: string): string | undefined {
  const realm = challenge.params.realm;
  if (!realm) return undefined;
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.append('scope', scope);
  return url.toString();
}
