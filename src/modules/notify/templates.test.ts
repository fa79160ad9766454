/**
 * The texts of notifications: every kind the case engine sends reads complete in both languages with
 * the params CONTEXT.md lists (no {placeholder} left), locale keys in `xKey` params are translated for
 * each reader, and a message is checked before it is stored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkMessage, composeMail, isSitePath, renderMessage, type NotifyParams } from './templates.ts';

const CASE = { number: '3300002026000012', title: '食品经营许可' };
const TASK = { ...CASE, step: '审查', due: '2026-10-08' };

/** The case engine's kinds with the params CONTEXT.md documents. */
const KINDS: Record<string, NotifyParams> = {
  'workflow.task_assigned': TASK,
  'workflow.task_yellow': TASK,
  'workflow.task_red': TASK,
  'workflow.case_urged': { ...CASE, note: '请于今日内办结' },
  'workflow.case_completed': { ...CASE, outcome: '准予许可' },
  'workflow.case_supplement': { ...CASE, reason: '1. 营业执照复印件\n2. 场所平面图' },
  'workflow.extension_requested': {
    ...TASK,
    amount: 5,
    unitKey: 'notify.unit.working-days',
    reason: '需现场核查',
  },
  'workflow.extension_decided': { ...TASK, decisionKey: 'notify.decision.rejected' },
};

describe('notification texts', () => {
  it('render every kind of the case engine completely, in Chinese and in English', () => {
    for (const [kind, params] of Object.entries(KINDS)) {
      checkMessage(kind, params, '/workbench/cases/3300002026000012');
      for (const locale of ['zh-CN', 'en'] as const) {
        const m = renderMessage(locale, kind, params);
        for (const text of [m.subject, m.body]) {
          assert.ok(!/\{\w+\}/.test(text), `${kind} ${locale}: ${text}`);
          assert.ok(text.includes(CASE.number), `${kind} ${locale}: ${text}`);
        }
      }
    }
  });

  it('translates params given as locale keys for each reader', () => {
    const params = KINDS['workflow.extension_requested']!;
    assert.equal(
      renderMessage('zh-CN', 'workflow.extension_requested', params).body,
      '办件“食品经营许可”（3300002026000012）的“审查”环节申请将办理期限延长 5 个工作日。理由：需现场核查。请审批。',
    );
    assert.ok(
      renderMessage('en', 'workflow.extension_decided', KINDS['workflow.extension_decided']!).body.includes(
        'has not been approved',
      ),
    );
  });

  it('keeps a param that looks like a placeholder as text', () => {
    const m = renderMessage('zh-CN', 'workflow.case_urged', { ...CASE, note: '见 {title} 与 {x}' });
    assert.ok(m.body.endsWith('督办意见：见 {title} 与 {x}'), m.body);
  });

  it('reads a kind whose texts are gone as a plain notice', () => {
    assert.deepEqual(renderMessage('en', 'gone.kind', {}), { subject: 'Notification (gone.kind)', body: '' });
  });

  it('refuses bad kinds, params and links', () => {
    const ok = KINDS['workflow.task_assigned']!;
    assert.throws(() => checkMessage('Workflow.Task', ok, undefined), /module\.event/);
    assert.throws(
      () => checkMessage('workflow.task_assigned', { ...ok, due: undefined } as never, undefined),
      /due/,
    );
    assert.throws(
      () => checkMessage('workflow.task_assigned', { ...ok, 'bad name': 'x' }, undefined),
      /bad param/,
    );
    assert.throws(
      () => checkMessage('workflow.task_assigned', { ...ok, n: Number.NaN }, undefined),
      /finite/,
    );
    assert.throws(
      () => checkMessage('workflow.task_assigned', { ...ok, step: 'x'.repeat(4001) }, undefined),
      /longer/,
    );
    for (const link of ['//evil.example', 'https://evil.example/', '/\\evil', 'cases/1', '/a\nb'])
      assert.equal(isSitePath(link), false, link);
    for (const link of ['/', '/workbench/cases/1?tab=2#x']) assert.equal(isSitePath(link), true, link);
  });

  it('composes the mail in Chinese with the English below, the link made absolute', () => {
    const mail = composeMail({
      kind: 'workflow.case_completed',
      params: { ...CASE, outcome: '准予许可' },
      link: '/account/cases/3300002026000012',
      toName: '张演示',
      site: { name: '浙江政务服务网', origin: 'https://www.zjzwfw.gov.cn' },
    });
    assert.equal(mail.subject, '【浙江政务服务网】办结通知：3300002026000012 食品经营许可');
    const lines = mail.text.split('\n');
    assert.equal(lines[0], '张演示，您好：');
    assert.ok(lines.includes('详情：https://www.zjzwfw.gov.cn/account/cases/3300002026000012'));
    const english = lines.indexOf('English version');
    assert.ok(english > 0);
    assert.equal(lines[english + 2], 'Case completed: 3300002026000012 食品经营许可');
    assert.equal(lines[english + 4], 'Dear 张演示,');
    assert.ok(lines.includes('Details: https://www.zjzwfw.gov.cn/account/cases/3300002026000012'));
  });
});
