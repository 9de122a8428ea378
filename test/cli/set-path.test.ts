import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import { buildOverrides, parseAssignment, parsePath } from '../../src/cli/set-path.js';

describe('--set paths', () => {
  it('parses keys, indexes and quoted keys', () => {
    expect(parsePath('Records[0].messageAttributes["x-id"].stringValue', 'raw')).toEqual([
      'Records',
      0,
      'messageAttributes',
      'x-id',
      'stringValue',
    ]);
    expect(parsePath('[2]', 'raw')).toEqual([2]);
  });

  it('parses the value as JSON, else keeps the text', () => {
    expect(parseAssignment('a={"b":1}').value).toEqual({ b: 1 });
    expect(parseAssignment('a=3').value).toBe(3);
    expect(parseAssignment('a=hello world').value).toBe('hello world');
    expect(parseAssignment('a=').value).toBe('');
    expect(parseAssignment('a["k=v"]=x').path).toEqual(['a', 'k=v']);
  });

  it.each([
    ['Records[0.body=1', /unclosed "\["/],
    ['a..b=1', /empty key/],
    ['a.=1', /empty key|ends with/],
    ['a[x]=1', /is not an array index/],
    ['a]b=1', /unexpected "]"/],
    ['=1', /the path is empty/],
    ['novalue', /missing "="/],
  ])('rejects %s', (raw, message) => {
    expect(() => parseAssignment(raw)).toThrow(CliError);
    expect(() => parseAssignment(raw)).toThrow(message);
  });

  it('builds a sparse Records override and copies other arrays from the base event', () => {
    const base = {
      Records: [
        { body: 'a', tags: ['x', 'y'] },
        { body: 'b', tags: ['z'] },
      ],
      top: 'v',
    };
    const overrides = buildOverrides(
      [parseAssignment('Records[1].tags[0]=changed'), parseAssignment('Records[1].body={"n":1}')],
      base,
    );
    expect(overrides).toEqual({ Records: [{}, { tags: ['changed'], body: '{"n":1}' }] });
  });

  it('keeps JSON values for non-string fields', () => {
    expect(buildOverrides([parseAssignment('a.b=5')], { a: { b: 1 } })).toEqual({ a: { b: 5 } });
  });

  it('rejects indexing into an object and keys on an array', () => {
    expect(() => buildOverrides([parseAssignment('a[0]=1')], { a: { b: 1 } })).toThrow(
      /bad --set path "a\[0\]": a is not an array/,
    );
    expect(() => buildOverrides([parseAssignment('Records.x=1')], { Records: [] })).toThrow(
      /bad --set path "Records.x": Records is an array; use an index/,
    );
  });

  it('never writes through __proto__ (own properties only)', () => {
    const base = { Records: [{ body: 'x' }] };
    const overrides = buildOverrides(
      [parseAssignment('Records[0].__proto__.polluted=1'), parseAssignment('__proto__.polluted=2')],
      base,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(overrides)).toBe(Object.prototype);
    expect(Object.hasOwn(overrides, '__proto__')).toBe(true);
  });

  it('rejects an index past the end instead of growing the array with generated items', () => {
    const base = { Records: [{ body: 'x' }], list: ['a', 'b'] };
    expect(() => buildOverrides([parseAssignment('Records[99].body=x')], base)).toThrow(
      /Records has 1 item, so \[99\] does not exist/,
    );
    expect(() => buildOverrides([parseAssignment('Records[1].body=x')], base)).toThrow(
      expect.objectContaining({ hint: 'Generate more records first (--records 2), then set Records[1].' }),
    );
    expect(() => buildOverrides([parseAssignment('list[5]=c')], base)).toThrow(/list has 2 items/);
    expect(buildOverrides([parseAssignment('list[2]=c')], base)).toEqual({ list: ['a', 'b', 'c'] });
  });
});
