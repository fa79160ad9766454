/** The rules on a petition's materials: how many, which types (from the bytes), how large, the name kept. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachmentProblems, nameFor, stored, type OfferedAttachment } from './attachments.ts';

const file = (over: Partial<{ filename: string; size: number; mediaType: string; digest: string }> = {}) => ({
  digest: 'a'.repeat(64),
  filename: '现场.jpg',
  size: 1024,
  mediaType: 'image/jpeg',
  ...over,
});
const codes = (files: readonly OfferedAttachment[]) =>
  attachmentProblems(files).map((p) => `${p.field} ${p.code}`);

describe('petitions: attachments', () => {
  it('takes up to five JPEG, PNG or PDF files of at most 5 MB', () => {
    const five = [
      file(),
      file({ filename: '通知.pdf', mediaType: 'application/pdf' }),
      file({ filename: '照片.png', mediaType: 'image/png', size: 5 * 1024 * 1024 }),
      file(),
      file(),
    ];
    assert.deepEqual(attachmentProblems(five), []);
    assert.deepEqual(attachmentProblems([]), []);
    assert.equal(stored(five).length, 5);
  });

  it('refuses a sixth, naming the limit', () => {
    const problems = attachmentProblems(Array.from({ length: 6 }, () => file()));
    assert.deepEqual(
      problems.map((p) => [p.field, p.code, p.params?.max, p.params?.given]),
      [['attachments', 'petitions.attachments.too_many', 5, 6]],
    );
  });

  it('refuses each file of another type or too large, by name, with the limit: refused at the upload or checked again', () => {
    assert.deepEqual(
      codes([
        { filename: '证据.pdf', refused: 'type', detected: 'EXE' },
        { filename: '大图.jpg', refused: 'size' },
        { filename: '空.pdf', refused: 'empty' },
        file({ filename: '动图.gif', mediaType: 'image/gif' }),
      ]),
      [
        'attachments petitions.attachments.type',
        'attachments petitions.attachments.too_large',
        'attachments petitions.attachments.empty',
        'attachments petitions.attachments.type',
      ],
    );
    assert.deepEqual(
      codes([file({ size: 5 * 1024 * 1024 + 1 }), file({ size: 0 }), file({ digest: '../../etc/passwd' })]),
      [
        'attachments petitions.attachments.too_large',
        'attachments petitions.attachments.too_large',
        'attachments petitions.attachments.type',
      ],
    );
    const [type, size] = attachmentProblems([
      { filename: '证据.pdf', refused: 'type', detected: 'EXE' },
      { filename: '大图.jpg', refused: 'size' },
    ]);
    assert.deepEqual(type!.params, {
      max: 5,
      size: '5 MB',
      types: 'JPEG/PNG/PDF',
      name: '证据.pdf',
      type: 'EXE',
    });
    assert.deepEqual(size!.params, { max: 5, size: '5 MB', types: 'JPEG/PNG/PDF', name: '大图.jpg' });
  });

  it('keeps the sender’s name, its extension made to agree with the type read from the bytes', () => {
    assert.equal(nameFor('现场.jpg', 'image/jpeg'), '现场.jpg');
    assert.equal(nameFor('现场.JPEG', 'image/jpeg'), '现场.JPEG');
    assert.equal(nameFor('通知.PDF', 'application/pdf'), '通知.PDF');
    assert.equal(nameFor('照片', 'image/png'), '照片.png');
    assert.equal(nameFor('照片.jpg', 'image/png'), '照片.jpg.png');
  });
});
