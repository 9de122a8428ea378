import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', 'src');

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(join(ROOT, dir, f), 'utf8') }));
}

function imports(text: string): string[] {
  return [...text.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
}

describe('event generator architecture', () => {
  it('events import only random, schemas, errors, their own modules and allowed packages', () => {
    // node:zlib: CloudWatch Logs delivers base64(gzip(JSON)), a derived field like the hashes of node:crypto.
    const allowed =
      /^(\.\/|\.\.\/(random|schemas|errors)\/|node:crypto$|node:zlib$|zod$|aws-lambda$|@aws-sdk\/util-dynamodb$)/;
    for (const { file, text } of sources('events')) {
      for (const spec of imports(text)) expect(spec, `${file} imports ${spec}`).toMatch(allowed);
    }
  });

  it('schemas import only zod (and node:zlib, to check the gzip inside CloudWatch Logs data)', () => {
    for (const { file, text } of sources('schemas')) {
      for (const spec of imports(text))
        expect(spec, `${file} imports ${spec}`).toMatch(/^(zod$|node:zlib$|\.\/)/);
    }
  });

  it('only src/random touches faker or pure-rand, and nothing reads Math.random or the wall clock', () => {
    for (const { file, text } of [...sources('events'), ...sources('schemas')]) {
      expect(text, file).not.toMatch(/@faker-js|pure-rand/);
      expect(text, file).not.toMatch(/Math\.random|Date\.now\(|new Date\(\)|performance\.now/);
    }
    const random = sources('random');
    expect(random.some(({ text }) => text.includes('@faker-js/faker'))).toBe(true);
    for (const { file, text } of random)
      expect(text, file).not.toMatch(/Math\.random|Date\.now\(|new Date\(\)/);
  });
});
