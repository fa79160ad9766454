import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../errors.ts';
import { decodeCsvBytes, formatCsv, parseCsv } from './csv.ts';
import { createRowCollector, DEFAULT_TABLE_LIMITS } from './limits.ts';

const parse = (text: string) => {
  const collector = createRowCollector(DEFAULT_TABLE_LIMITS);
  parseCsv(text, collector);
  return collector.rows();
};
const failsWith = (code: string, params?: object) => (e: unknown) =>
  e instanceof DomainError &&
  e.code === code &&
  (!params || assert.deepEqual(e.params, params) === undefined);

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes and line breaks inside quotes', () => {
    assert.deepEqual(parse('a,"b,c","say ""hi""","two\r\nlines"\r\nx,y\r\n'), [
      ['a', 'b,c', 'say "hi"', 'two\r\nlines'],
      ['x', 'y'],
    ]);
  });

  it('takes CRLF, LF and a lone CR between records, with or without a final line break', () => {
    assert.deepEqual(parse('a\r\nb\nc\rd'), [['a'], ['b'], ['c'], ['d']]);
    assert.deepEqual(parse('a\n'), [['a']]);
  });

  it('keeps empty fields, including one after a comma that ends the file', () => {
    assert.deepEqual(parse(',b,,d\nx,'), [['', 'b', '', 'd'], ['x']]);
    assert.deepEqual(parse('x,,\n,,y'), [['x'], ['', '', 'y']]);
  });

  it('keeps a quote inside an unquoted field and text after a closing quote, as Excel does', () => {
    assert.deepEqual(parse('5" floppy,"ab"cd'), [['5" floppy', 'abcd']]);
  });

  it('drops a BOM and keeps blank rows between records so row numbers stay right', () => {
    assert.deepEqual(parse('\ufeffh\n\n ,\nv\n\n\n'), [['h'], [], [], ['v']]);
  });

  it('refuses a quote never closed, naming the row it opened on', () => {
    assert.throws(
      () => parse('h\nok\n"never closed,\nx\n'),
      failsWith('tables.csv_unclosed_quote', { row: 3 }),
    );
  });
});

describe('formatCsv', () => {
  it('writes a BOM, CRLF, and quotes exactly the fields that need it', () => {
    assert.equal(
      formatCsv([
        ['a', 'b,c', 'say "hi"'],
        ['two\nlines', ' padded', '中文'],
      ]),
      '\ufeffa,"b,c","say ""hi"""\r\n"two\nlines"," padded",中文\r\n',
    );
  });

  it('reads back what it wrote, for any text', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r', ' ', '\r\n', '') });
    // The reader drops what carries nothing: empty cells ending a row and blank rows ending the table.
    const row = fc
      .tuple(fc.array(cell, { maxLength: 4 }), fc.stringMatching(/^[a-z中]+$/))
      .map(([r, l]) => [...r, l]);
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 5 }), (rows) =>
        assert.deepEqual(parse(formatCsv(rows)), rows),
      ),
    );
  });
});

describe('decodeCsvBytes', () => {
  it('reads UTF-8 with and without a BOM', () => {
    assert.equal(decodeCsvBytes(Buffer.from('中文,a')), '中文,a');
    assert.equal(decodeCsvBytes(Buffer.from('\ufeff中文,a')), '中文,a');
  });

  it('reads GBK, as Chinese Excel saves a CSV', () => {
    // 中文 and 事项 in GBK: D6D0 CEC4, CAC2 CFEE — not valid UTF-8.
    const gbk = Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0x2c, 0xca, 0xc2, 0xcf, 0xee, 0x0d, 0x0a]);
    assert.equal(decodeCsvBytes(gbk), '中文,事项\r\n');
  });

  it('refuses bytes with NULs (UTF-16, binary) rather than guessing', () => {
    assert.throws(
      () => decodeCsvBytes(Buffer.from('\ufeffa,b', 'utf16le')),
      failsWith('tables.unknown_encoding'),
    );
  });
});
