/**
 * The demo pack end to end: every item of the demo catalogue is published, takes applications online
 * on a process the demo site has loaded, and its case can be driven to an approved close by the demo
 * staff alone. For each item a demo applicant of its audience applies through the API with the form's
 * sample answers and the required materials, and the demo logins listed in the README take every step
 * of the process — each in the department the step names, which the test checks, so a process whose
 * assignee resolves to no demo department, or to one without a demo login, fails here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signIn } from '../../../test/support/staff.ts';
import { DEMO_ACCOUNTS, DEMO_STAFF } from '../../app.ts';
import { SAMPLES } from '../../kernel/files/sample-files.ts';
import { DEMO_CATALOGUE, type Item } from '../services/index.ts';
import { checkDefinition } from '../workflow/index.ts';

const SITE = '330000';
const PNG = SAMPLES.png();

/** One step of the way to approval: who takes which action on the open task of a step (or branch). */
interface Move {
  step: string;
  branch?: string;
  /** the demo login (README) that acts */
  by: (typeof DEMO_STAFF)[number]['username'];
  action: string;
  input?: Record<string, unknown>;
  /** a clock stop (公示) to start and end on the task before acting */
  stop?: string;
}

const OPINION = { opinion: '材料齐全，符合条件' };
const WINDOW: Move = { step: 'intake', by: 'demo.window', action: 'accept' };

/** Each item's way through its process to an approved close, and who applies. */
const PATHS: Record<string, { as: 'demo.citizen' | 'demo.company'; moves: Move[] }> = {
  个体工商户设立登记: {
    as: 'demo.citizen',
    moves: [WINDOW, { step: 'review', by: 'demo.market', action: 'approve' }],
  },
  食品经营许可: {
    as: 'demo.company',
    moves: [WINDOW, { step: 'review', by: 'demo.market', action: 'approve' }],
  },
  '开办企业（一件事）': {
    as: 'demo.citizen',
    moves: [
      WINDOW,
      { step: 'joint', branch: 'registration', by: 'demo.market', action: 'agree' },
      { step: 'joint', branch: 'seal', by: 'demo.police', action: 'agree' },
      { step: 'joint', branch: 'invoice', by: 'demo.tax', action: 'agree' },
      { step: 'joint', branch: 'insurance', by: 'demo.hrss', action: 'agree' },
      { step: 'issue', by: 'demo.window', action: 'issue' },
    ],
  },
  最低生活保障申请: {
    as: 'demo.citizen',
    moves: [
      WINDOW,
      { step: 'review', by: 'demo.handler', action: 'approve', input: OPINION, stop: 'public_notice' },
      { step: 'decide', by: 'demo.head', action: 'grant' },
    ],
  },
  临时救助申请: {
    as: 'demo.citizen',
    moves: [
      WINDOW,
      { step: 'review', by: 'demo.handler', action: 'approve', input: OPINION },
      { step: 'decide', by: 'demo.head', action: 'grant' },
    ],
  },
  城乡居民基本养老保险参保登记: {
    as: 'demo.citizen',
    moves: [WINDOW, { step: 'register', by: 'demo.hrss', action: 'register' }],
  },
  就业失业登记: {
    as: 'demo.citizen',
    moves: [WINDOW, { step: 'register', by: 'demo.hrss', action: 'register' }],
  },
  耕地地力保护补贴申领: {
    as: 'demo.citizen',
    moves: [
      { step: 'intake', by: 'demo.street', action: 'accept' },
      {
        step: 'township',
        by: 'demo.street',
        action: 'approve',
        input: { area: 48.2, opinion: '村级核实面积与确权、流转数据一致' },
        stop: 'public_notice',
      },
      { step: 'county', by: 'demo.agri', action: 'approve', input: OPINION },
      { step: 'decide', by: 'demo.agri', action: 'grant' },
    ],
  },
  公共租赁住房申请: {
    as: 'demo.citizen',
    moves: [
      { step: 'intake', by: 'demo.street', action: 'accept' },
      { step: 'street', by: 'demo.street', action: 'approve', input: OPINION },
      { step: 'joint', branch: 'housing', by: 'demo.housing', action: 'agree', input: OPINION },
      { step: 'joint', branch: 'economy', by: 'demo.handler', action: 'agree', input: OPINION },
      { step: 'joint', branch: 'insurance', by: 'demo.hrss', action: 'agree', input: OPINION },
      { step: 'joint', branch: 'residence', by: 'demo.police', action: 'agree', input: OPINION },
      { step: 'decide', by: 'demo.housing', action: 'grant', stop: 'public_notice' },
    ],
  },
  义务教育入学登记: {
    as: 'demo.citizen',
    moves: [
      { step: 'intake', by: 'demo.edu', action: 'accept' },
      { step: 'review', by: 'demo.edu', action: 'approve', input: { route: '学区就近入学', ...OPINION } },
      { step: 'place', by: 'demo.edu', action: 'admit', input: { school: '学区对口小学' } },
    ],
  },
  社会团体成立登记: {
    as: 'demo.company',
    moves: [
      { step: 'intake', by: 'demo.hzcivil', action: 'accept' },
      { step: 'review', by: 'demo.hzcivil', action: 'approve', input: OPINION },
      { step: 'decide', by: 'demo.hzcivil', action: 'grant' },
    ],
  },
  保安服务公司设立许可: {
    as: 'demo.company',
    moves: [
      { step: 'intake', by: 'demo.hzpolice', action: 'accept' },
      { step: 'city', by: 'demo.hzpolice', action: 'report', input: OPINION },
      { step: 'province', by: 'demo.zjpolice', action: 'approve', input: OPINION },
      { step: 'decide', by: 'demo.zjpolice', action: 'grant' },
    ],
  },
  医师执业注册: {
    as: 'demo.citizen',
    moves: [
      { step: 'intake', by: 'demo.health', action: 'accept' },
      { step: 'review', by: 'demo.health', action: 'approve', input: OPINION },
      { step: 'decide', by: 'demo.health', action: 'grant' },
    ],
  },
};

interface CaseJson {
  status: string;
  outcome: string | null;
  definition: { code: string };
  tasks: { no: number; step: string; branch: string | null; departmentId: number; status: string }[];
  available: { task: number | null; action: string; name?: string }[];
}

const ON_PROCESS = DEMO_CATALOGUE.filter((e) => e.item.processCode !== null);

describe('the demo pack: every demo item applied for online and approved by the demo staff', () => {
  let y: TestApp;
  const cookies = new Map<string, string>();
  /** department name → id, as seeded */
  const departmentId = new Map<string, number>();

  const cookieOf = async (username: string) => {
    let c = cookies.get(username);
    if (!c) {
      const login = [...DEMO_ACCOUNTS, ...DEMO_STAFF].find((a) => a.username === username);
      assert.ok(login, `no demo login ${username}`);
      c = await signIn(y, login.username, login.password);
      cookies.set(username, c);
    }
    return c;
  };
  const api = async (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    y.app.inject({ method, url, headers: { cookie: await cookieOf(who) }, ...(payload ? { payload } : {}) });
  /** Multipart with the CSRF token as a header (as the API's clients send it). */
  const upload = async (who: string, url: string, filename: string) => {
    const page = await api(who, 'GET', '/account');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const csrf = [page.headers['set-cookie']]
      .flat()
      .find((c) => c?.startsWith('yw_csrf='))
      ?.split(';')[0];
    const boundary = 'yiwangdemopack';
    const cookie = await cookieOf(who);
    return y.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: csrf ? `${cookie}; ${csrf}` : cookie,
        'x-csrf-token': token,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        PNG,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
  };

  before(async () => {
    y = await createTestApp({ seed: true });
    const departments = await y.org.departments.list(SITE, { includeInactive: false, limit: 500, offset: 0 });
    for (const d of departments.items) departmentId.set(d.name, d.id);
  });
  after(() => y.drop());

  it('has a way to approval for every item that runs on a process, and every item runs on one', () => {
    assert.deepEqual(Object.keys(PATHS).sort(), DEMO_CATALOGUE.map((e) => e.item.name).sort());
    assert.equal(ON_PROCESS.length, DEMO_CATALOGUE.length);
  });

  it('seeds a department for every demo login, and staff for every department of the catalogue', () => {
    for (const s of DEMO_STAFF) assert.ok(departmentId.has(s.department), s.department);
    for (const { department } of DEMO_CATALOGUE) assert.ok(departmentId.has(department), department);
  });

  it('loads every demo process on the demo site, as the definition validator accepts it', async () => {
    const loaded = new Map((await y.workflow.definitions.list(SITE)).map((d) => [d.code, d.body]));
    for (const { item } of ON_PROCESS) {
      const body = loaded.get(item.processCode!);
      assert.ok(body, `${item.name}: ${item.processCode} not loaded`);
      assert.deepEqual(checkDefinition(body), [], item.processCode!);
    }
  });

  for (const { department, item: entry } of ON_PROCESS) {
    const path = PATHS[entry.name]!;
    it(`${entry.name}: published, applied for online by ${path.as}, approved by ${[...new Set(path.moves.map((m) => m.by))].join(', ')}`, async () => {
      const published = await y.app.inject({ url: `/api/v1/services/items/${entry.code}` });
      assert.equal(published.statusCode, 200, published.body);
      const item = published.json() as Item;
      assert.equal(item.status, 'published');
      assert.equal(item.departmentName, department);
      assert.equal(item.processCode, entry.processCode);
      assert.ok(item.onlineDepth >= 3 && item.form);

      // Apply: the form's own sample answers, a file for every material the government does not hold.
      const started = await api(path.as, 'POST', '/api/v1/applications', { item: item.code });
      assert.equal(started.statusCode, 201, started.body);
      const id = (started.json() as { id: string }).id;
      const answers = Object.fromEntries(
        Object.entries(item.form.properties).map(([k, f]) => [
          k,
          (f as { 'x-sample'?: unknown })['x-sample'],
        ]),
      );
      const saved = await api(path.as, 'PUT', `/api/v1/applications/${id}/data`, { data: answers });
      assert.ok(saved.statusCode < 300, saved.body);
      for (const m of item.materials.filter((x) => x.required && x.heldBy === '')) {
        const r = await upload(path.as, `/api/v1/applications/${id}/materials/${m.key}`, `${m.key}.png`);
        assert.equal(r.statusCode, 200, r.body);
      }
      const sent = await api(path.as, 'POST', `/api/v1/applications/${id}/submission`);
      assert.equal(sent.statusCode, 201, sent.body);
      const number = (sent.json() as { caseNumber: string }).caseNumber;

      // Every step, by the demo login in the department the step names.
      for (const m of path.moves) {
        const where = `${entry.name} ${m.step}${m.branch ? `/${m.branch}` : ''}`;
        const view = (await api(m.by, 'GET', `/api/v1/cases/${number}`)).json() as CaseJson;
        assert.equal(view.definition.code, entry.processCode, where);
        const task = view.tasks.find(
          (t) => t.status === 'open' && t.step === m.step && t.branch === (m.branch ?? null),
        );
        assert.ok(task, `${where}: no open task (${JSON.stringify(view.tasks)})`);
        const staff = DEMO_STAFF.find((s) => s.username === m.by)!;
        assert.equal(
          task.departmentId,
          departmentId.get(staff.department),
          `${where}: not at ${staff.department}`,
        );
        const act = (body: object) => api(m.by, 'POST', `/api/v1/cases/${number}/actions`, body);
        if (m.stop) {
          const stopped = await act({ action: 'stop', task: task.no, stop: m.stop, reason: '公示7天' });
          assert.equal(stopped.statusCode, 200, `${where}: ${stopped.body}`);
          assert.equal((stopped.json() as CaseJson).status, 'stopped', where);
          const resumed = await act({ action: 'resume', note: '公示期满无异议' });
          assert.equal(resumed.statusCode, 200, `${where}: ${resumed.body}`);
        }
        const r = await act({ action: 'step', task: task.no, name: m.action, input: m.input ?? {} });
        assert.equal(r.statusCode, 200, `${where}: ${r.body}`);
      }

      // Closed and approved, as the applicant sees it; nothing left open.
      const done = (await api(path.as, 'GET', `/api/v1/cases/${number}`)).json() as CaseJson;
      assert.equal(done.status, 'closed', entry.name);
      assert.equal(done.outcome, 'approved', entry.name);
      assert.ok(
        done.tasks.every((t) => t.status !== 'open'),
        entry.name,
      );
    });
  }
});
