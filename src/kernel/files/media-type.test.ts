import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  extensionOf,
  isUtf8Text,
  MEDIA_TYPES,
  mediaTypeByName,
  mediaTypeOfZip,
  sniffMediaType,
  SNIFF_BYTES,
} from './media-type.ts';
import { buildZip, SAMPLES } from './sample-files.ts';
import { readAtBuffer, zipEntryNames } from './zip.ts';

describe('sniffMediaType', () => {
  it('recognises each format from its first bytes', () => {
    assert.equal(sniffMediaType(SAMPLES.pdf()), MEDIA_TYPES.pdf);
    assert.equal(sniffMediaType(SAMPLES.png()), MEDIA_TYPES.png);
    assert.equal(sniffMediaType(SAMPLES.jpeg()), MEDIA_TYPES.jpeg);
    assert.equal(sniffMediaType(SAMPLES.gif()), MEDIA_TYPES.gif);
    assert.equal(sniffMediaType(Buffer.from('GIF87a\x01\x00', 'latin1')), MEDIA_TYPES.gif);
    assert.equal(sniffMediaType(SAMPLES.webp()), MEDIA_TYPES.webp);
    assert.equal(sniffMediaType(SAMPLES.text()), MEDIA_TYPES.text);
    assert.equal(sniffMediaType(SAMPLES.exe()), MEDIA_TYPES.exe);
    assert.equal(sniffMediaType(Buffer.from('7f454c46020101', 'hex')), MEDIA_TYPES.elf);
    assert.equal(sniffMediaType(Buffer.from('d0cf11e0a1b11ae1', 'hex')), MEDIA_TYPES.ole);
  });

  it('says only "ZIP" for every ZIP-based format: the entries decide', () => {
    for (const sample of [SAMPLES.docx, SAMPLES.xlsx, SAMPLES.ofd, SAMPLES.zip])
      assert.equal(sniffMediaType(sample()), MEDIA_TYPES.zip);
  });

  it('does not take RIFF for WebP unless it says WEBP (a WAV file is not an image)', () => {
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]);
    assert.equal(sniffMediaType(wav), MEDIA_TYPES.unknown);
  });

  it('calls text only valid UTF-8 without NUL bytes', () => {
    assert.equal(sniffMediaType(Buffer.from('plain ascii')), MEDIA_TYPES.text);
    assert.equal(sniffMediaType(Buffer.from('a\0b')), MEDIA_TYPES.unknown);
    assert.equal(sniffMediaType(Buffer.from([0x61, 0xc3, 0x28])), MEDIA_TYPES.unknown, 'bad sequence');
    assert.equal(sniffMediaType(Buffer.from('中文', 'utf16le')), MEDIA_TYPES.unknown);
    assert.equal(sniffMediaType(Buffer.alloc(0)), MEDIA_TYPES.unknown);
  });

  it('forgives a character cut off at the end of a full head, not of a whole short file', () => {
    const head = Buffer.from('文'.repeat(SNIFF_BYTES)).subarray(0, SNIFF_BYTES); // 4096 is not a multiple of 3
    assert.equal(head.length % 3 === 0, false);
    assert.equal(sniffMediaType(head), MEDIA_TYPES.text);
    assert.equal(isUtf8Text(Buffer.from('文').subarray(0, 2)), false);
    assert.equal(isUtf8Text(Buffer.from('文').subarray(0, 2), true), true);
  });
});

describe('mediaTypeOfZip and zipEntryNames', () => {
  const namesOf = (zip: Buffer) => zipEntryNames(readAtBuffer(zip), zip.length);

  it('reads the entry names from the central directory', async () => {
    assert.deepEqual(await namesOf(SAMPLES.ofd()), ['OFD.xml', 'Doc_0/Document.xml']);
  });

  it('tells OFD, DOCX, XLSX and a plain ZIP apart', async () => {
    assert.equal(mediaTypeOfZip((await namesOf(SAMPLES.ofd()))!), MEDIA_TYPES.ofd);
    assert.equal(mediaTypeOfZip((await namesOf(SAMPLES.docx()))!), MEDIA_TYPES.docx);
    assert.equal(mediaTypeOfZip((await namesOf(SAMPLES.xlsx()))!), MEDIA_TYPES.xlsx);
    assert.equal(mediaTypeOfZip((await namesOf(SAMPLES.zip()))!), MEDIA_TYPES.zip);
    assert.equal(mediaTypeOfZip(['[Content_Types].xml', 'ppt/presentation.xml']), MEDIA_TYPES.pptx);
  });

  it('needs [Content_Types].xml before calling a word/ folder a DOCX', () => {
    assert.equal(mediaTypeOfZip(['word/document.xml']), MEDIA_TYPES.zip);
  });

  it('does not take an OFD.xml in a sub-folder for an OFD', async () => {
    const zip = buildZip({ 'docs/OFD.xml': '<x/>' });
    assert.equal(mediaTypeOfZip((await namesOf(zip))!), MEDIA_TYPES.zip);
  });

  it('finds the directory past an archive comment', async () => {
    const zip = SAMPLES.docx();
    const comment = Buffer.from('archive comment');
    zip.writeUInt16LE(comment.length, zip.length - 2);
    assert.equal(mediaTypeOfZip((await namesOf(Buffer.concat([zip, comment])))!), MEDIA_TYPES.docx);
  });

  it('returns null for something that only starts like a ZIP', async () => {
    const fake = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]);
    assert.equal(await namesOf(fake), null);
    const broken = SAMPLES.docx();
    broken.writeUInt32LE(broken.length * 2, broken.length - 6); // directory offset past the end
    assert.equal(await namesOf(broken), null);
  });
});

describe('what a file name says it is', () => {
  it('reads the extension, any case: an attached type, none, or something else', () => {
    assert.equal(mediaTypeByName('现场.JPEG'), MEDIA_TYPES.jpeg);
    assert.equal(mediaTypeByName('scan.jfif'), MEDIA_TYPES.jpeg);
    assert.equal(mediaTypeByName('通知.pdf'), MEDIA_TYPES.pdf);
    assert.equal(mediaTypeByName('扫描件'), null);
    assert.equal(mediaTypeByName('scan.2024'), null);
    assert.equal(mediaTypeByName('合同.docx'), 'other');
    assert.equal(mediaTypeByName('pdf.exe'), 'other');
  });

  it('gives the usual extension of a type', () => {
    assert.equal(extensionOf(MEDIA_TYPES.jpeg), 'jpg');
    assert.equal(extensionOf(MEDIA_TYPES.png), 'png');
    assert.equal(extensionOf(MEDIA_TYPES.docx), 'bin');
  });
});
