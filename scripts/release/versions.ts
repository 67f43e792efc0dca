// Which floating tags a release moves. Users pin `@v1` (newest 1.x.y) or `@v1.2` (newest
// 1.2.y): a release moves `vX` and `vX.Y` to its commit unless a newer release already holds
// them (a patch to an older minor line moves only its own `vX.Y`). Pre-releases move nothing.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** `rc.1` of `v1.2.0-rc.1`. */
  prerelease?: string;
}

const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$/;

export function parseReleaseTag(tag: string): Version | undefined {
  const m = RELEASE_TAG.exec(tag);
  if (!m) return undefined;
  const [, major, minor, patch, prerelease] = m;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    ...(prerelease ? { prerelease } : {}),
  };
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
}

function compareStable(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export interface TagMove {
  tag: string;
  move: boolean;
  /** Why (not): shown in the log. */
  reason: string;
}

/** The floating tags of `release`, given every tag of the repository. */
export function planTagMoves(release: Version, existingTags: string[]): TagMove[] {
  const name = `v${formatVersion(release)}`;
  const floating = [`v${release.major}`, `v${release.major}.${release.minor}`];
  if (release.prerelease) {
    return floating.map((tag) => ({ tag, move: false, reason: `${name} is a pre-release` }));
  }
  const stable = existingTags
    .map(parseReleaseTag)
    .filter((v): v is Version => v !== undefined && !v.prerelease);
  const newest = (inLine: (v: Version) => boolean) =>
    stable.filter(inLine).sort(compareStable).pop();
  const lines: [string, (v: Version) => boolean][] = [
    [floating[0], (v) => v.major === release.major],
    [floating[1], (v) => v.major === release.major && v.minor === release.minor],
  ];
  return lines.map(([tag, inLine]) => {
    const top = newest(inLine);
    if (top && compareStable(top, release) > 0) {
      return { tag, move: false, reason: `v${formatVersion(top)} is newer and keeps ${tag}` };
    }
    return { tag, move: true, reason: `${name} is the newest release of ${tag}` };
  });
}
