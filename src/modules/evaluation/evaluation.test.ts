import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseView } from '../workflow/index.ts';
import {
  evaluableUntil,
  EVALUATION_WINDOW_DAYS,
  handlingDepartments,
  isBadReview,
  levelKey,
  plainText,
  replyOf,
  textLength,
} from './evaluation.ts';

describe('好差评 rules', () => {
  it('names the five levels and counts only 不满意 and 非常不满意 as 差评', () => {
    assert.deepEqual([5, 4, 3, 2, 1].map(levelKey), [
      'evaluation.level.very_satisfied',
      'evaluation.level.satisfied',
      'evaluation.level.basically_satisfied',
      'evaluation.level.dissatisfied',
      'evaluation.level.very_dissatisfied',
    ]);
    assert.deepEqual([5, 4, 3, 2, 1].map(isBadReview), [false, false, false, true, true]);
  });

  it('keeps a case open for rating for the window after it closed', () => {
    const closed = new Date('2026-03-01T02:00:00Z');
    assert.equal(evaluableUntil(closed).getTime() - closed.getTime(), EVALUATION_WINDOW_DAYS * 86_400_000);
  });

  it('turns a comment into plain text: tags, scripts and comments out, entities decoded once, "1<2" kept', () => {
    assert.equal(plainText('<p>办理<b>很快</b></p><script>alert(1)</script>谢谢'), '办理很快\n谢谢');
    assert.equal(plainText('<!-- x -->a &lt;b&gt; &amp;amp; &#x4E2D;&#25991;'), 'a <b> &amp; 中文');
    assert.equal(plainText('1<2 且 3>2'), '1<2 且 3>2');
    assert.equal(plainText('  行1\r\n\r\n\r\n\r\n行2\u0007  '), '行1\n\n行2');
    assert.equal(plainText('<img src=x onerror=alert(1)>'), '');
    assert.equal(textLength('𠮷'.repeat(3)), 3, 'characters, not UTF-16 units');
  });

  it('attributes a case to the department of its last task done, else its own, and lists all who handled it', () => {
    const task = (no: number, departmentId: number, status: 'open' | 'done', closedAt: string | null) => ({
      no,
      departmentId,
      division: `33010${departmentId}`,
      status,
      openedAt: new Date('2026-03-01T00:00:00Z'),
      closedAt: closedAt ? new Date(closedAt) : null,
    });
    const state = (tasks: ReturnType<typeof task>[]) =>
      ({ departmentId: 10, division: '330106', tasks }) as unknown as CaseView['state'];
    assert.deepEqual(
      handlingDepartments(
        state([
          task(1, 1, 'done', '2026-03-02T00:00:00Z'),
          task(2, 2, 'done', '2026-03-05T00:00:00Z'),
          task(3, 3, 'done', '2026-03-04T00:00:00Z'),
        ]),
      ),
      { departmentId: 2, division: '330102', all: [10, 1, 2, 3] },
    );
    assert.deepEqual(handlingDepartments(state([task(1, 1, 'open', null)])), {
      departmentId: 10,
      division: '330106',
      all: [10, 1],
    });
  });

  it('reads the reply to the rater from the last closing action, else the last comment', () => {
    const at = '2026-03-01T00:00:00Z';
    const by = { accountId: 1, name: 'x' };
    const events = [
      { type: 'comment.added', text: '已电话回访', at, by },
      { type: 'task.completed', task: 1, action: 'confirm', input: { finding: '属实' }, at, by },
    ] as CaseView['events'];
    assert.equal(replyOf(events), '已电话回访');
    assert.equal(
      replyOf([
        ...events,
        { type: 'task.completed', task: 3, action: 'rectified', input: { reply: ' 已整改 ' }, at, by },
      ] as CaseView['events']),
      '已整改',
    );
    assert.equal(replyOf([]), '');
  });
});
