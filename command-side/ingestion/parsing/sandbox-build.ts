/**
 * The parse sandbox runs as plain JavaScript: under the tsx loader, pdf.js (3 MB of modules) takes ~7 s and
 * ~300 MB more to load, because every module passes through the transform hooks. So the child's TypeScript is
 * bundled once per process with esbuild (the compiler tsx itself uses), libraries left as imports of their
 * absolute file URLs, and written to the temp directory under a content hash.
 */
import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./parse-child.ts', import.meta.url));

const librariesByAbsoluteUrl: Plugin = {
  name: 'libraries-by-absolute-url',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('node:')) return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};

let built: Promise<string> | null = null;

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [librariesByAbsoluteUrl],
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = path.join(tmpdir(), `knowledge-assistant-parse-child-${hash}.mjs`);
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, code);
  await rename(partial, file);
  return file;
}

/** Path of the bundled child entry; built on first use. */
export function sandboxEntry(): Promise<string> {
  built ??= bundle().catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}
