import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecurityAlert } from '../../kernel/audit/index.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { renderDocument, type PageContextValue, type SiteInfo } from '../../kernel/pages/index.tsx';
import { EventsPage } from './security.workbench.tsx';

const site = { tenantId: '330000', name: '测试站点' } as SiteInfo;
const ctx: PageContextValue = {
  t: translator('zh-CN'),
  locale: 'zh-CN',
  url: '/workbench/security/events',
  csrfToken: '',
  site,
  siteDomain: 'localhost',
  viewer: null,
};

const alert: SecurityAlert = {
  kind: 'failed_login_burst',
  subjectType: 'ip',
  subject: '203.0.113.5',
  firstAt: new Date('2026-03-01T01:00:00.000Z'),
  lastAt: new Date('2026-03-01T01:06:00.000Z'),
  count: 12,
  peak: 12,
  entryIds: [101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112],
  seqs: [51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, null],
};

function render(canRead: boolean): string {
  return renderDocument(
    (props) => <main>{props.page.body}</main>,
    {
      area: 'workbench',
      title: '安全事件',
      body: (
        <EventsPage
          state={{ values: { hours: '24' }, problems: [] }}
          alerts={[alert]}
          from={new Date('2026-02-28T16:00:00.000Z')}
          before={new Date('2026-03-01T16:00:00.000Z')}
          canRead={canRead}
        />
      ),
    },
    ctx,
  );
}

describe('the security events page', () => {
  it('lists an alert with its time in Beijing time, its count and the first chain numbers', () => {
    const html = render(false);
    assert.ok(html.includes('<th scope="row">登录失败次数异常</th>'), html);
    assert.ok(html.includes('<td>IP 地址 203.0.113.5</td>'));
    assert.ok(html.includes('<time datetime="2026-03-01T01:00:00.000Z">2026-03-01 09:00:00</time>'));
    assert.ok(html.includes('<td>12</td>'));
    assert.ok(html.includes('#51、#52、#53、#54、#55 等，共 12 条'));
    assert.ok(html.includes('2026-03-01 00:00:00 至 2026-03-01 23:59:59 的告警'));
    assert.ok(html.includes('登录失败次数异常：1 条'));
    assert.ok(html.includes('账号锁定：0 条'));
  });

  it('links to the audit log only for a reader who may read it', () => {
    assert.ok(!render(false).includes('href="/workbench/audit?'));
    const html = render(true);
    assert.ok(
      html.includes(
        '<a href="/workbench/audit?action=session.login_failed&amp;ip=203.0.113.5&amp;from=2026-03-01T01%3A00%3A00.000Z&amp;to=2026-03-01T01%3A06%3A00.000Z" aria-label="查看审计记录：登录失败次数异常（203.0.113.5）">查看审计记录</a>',
      ),
      html,
    );
  });
});
