// The part of @vercel/ncc's programmatic API this repository calls (the package ships no types).
declare module '@vercel/ncc' {
  interface NccOptions {
    minify?: boolean;
    sourceMap?: boolean;
    quiet?: boolean;
    cache?: boolean | string;
    target?: string;
  }
  interface NccResult {
    code: string;
    assets: Record<string, { source: string | Buffer; permissions?: number }>;
    /** webpack's Stats of the compilation. */
    stats: { toJson(options: object): unknown };
  }
  export default function ncc(input: string, options?: NccOptions): Promise<NccResult>;
}
