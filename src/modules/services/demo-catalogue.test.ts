import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { checkCreditCode } from '../../kernel/identifiers/index.ts';
import { ItemInputSchema, itemProblems, normalizeItem, type ItemInput } from './catalogue.ts';
import { DEMO_CATALOGUE } from './demo-catalogue.ts';
import { checkDefinition, type Definition } from '../workflow/index.ts';

/**
 * The demo region's departments with their divisions, as org/demo-region.ts seeds them (that list is not
 * exported from the org module; a renamed department there must be renamed here and in the catalogue).
 */
const DEMO_DEPARTMENTS: [division: string, name: string][] = [
  ['330000', '浙江省人民政府办公厅'],
  ['330000', '浙江省发展和改革委员会'],
  ['330000', '浙江省财政厅'],
  ['330000', '浙江省农业农村厅'],
  ['330000', '浙江省自然资源厅'],
  ['330000', '浙江省住房和城乡建设厅'],
  ['330000', '浙江省应急管理厅'],
  ['330000', '浙江省市场监督管理局'],
  ['330000', '浙江省公安厅'],
  ['330000', '浙江省民政厅'],
  ['330000', '浙江省人力资源和社会保障厅'],
  ['330000', '浙江省卫生健康委员会'],
  ['330000', '浙江省教育厅'],
  ['330000', '浙江省政务服务管理办公室'],
  ['330000', '浙江省信访局'],
  ['330100', '杭州市人民政府办公厅'],
  ['330100', '杭州市数据资源管理局'],
  ['330100', '杭州市城市管理局'],
  ['330100', '杭州市民政局'],
  ['330100', '杭州市信访局'],
  ['330102', '上城区政务服务中心'],
  ['330102', '上城区城市管理局'],
  ['330106', '西湖区政务服务中心'],
  ['330106', '西湖区民政局'],
  ['330106', '西湖区市场监督管理局'],
  ['330106', '杭州市公安局西湖区分局'],
  ['330106', '国家税务总局杭州市西湖区税务局'],
  ['330106', '西湖区人力资源和社会保障局'],
  ['330106', '西湖区教育局'],
  ['330106', '西湖区农业农村局'],
  ['330106', '西湖区住房和城乡建设局'],
  ['330102001', '清波街道办事处'],
  ['330106002', '北山街道办事处'],
  ['330100', '杭州市公安局'],
  ['330106004', '西溪街道办事处'],
];
const divisionOf = new Map(DEMO_DEPARTMENTS.map(([division, name]) => [name, division]));

/** The ten 西湖区 items the demo is built around, with the department that implements each. */
const REQUIRED: [name: string, department: string][] = [
  ['个体工商户设立登记', '西湖区市场监督管理局'],
  ['开办企业（一件事）', '西湖区市场监督管理局'],
  ['城乡居民基本养老保险参保登记', '西湖区人力资源和社会保障局'],
  ['最低生活保障申请', '西湖区民政局'],
  ['耕地地力保护补贴申领', '西湖区农业农村局'],
  ['公共租赁住房申请', '西湖区住房和城乡建设局'],
  ['食品经营许可', '西湖区市场监督管理局'],
  ['就业失业登记', '西湖区人力资源和社会保障局'],
  ['义务教育入学登记', '西湖区教育局'],
  ['临时救助申请', '西湖区民政局'],
];

/** The process each item's applications run on (workflow/processes/<code>.json); every item has one. */
const PROCESSES: Record<string, string> = {
  最低生活保障申请: 'demo.assistance',
  临时救助申请: 'demo.assistance',
  '开办企业（一件事）': 'demo.start-business',
  个体工商户设立登记: 'demo.market-licensing',
  食品经营许可: 'demo.market-licensing',
  城乡居民基本养老保险参保登记: 'demo.resident-pension',
  耕地地力保护补贴申领: 'demo.farmland-subsidy',
  公共租赁住房申请: 'demo.public-housing',
  就业失业登记: 'demo.employment-registration',
  义务教育入学登记: 'demo.school-enrolment',
  社会团体成立登记: 'demo.social-organisation',
  保安服务公司设立许可: 'demo.security-company',
  医师执业注册: 'demo.physician-registration',
};

/** The first demo processes, shared or kept at the statutory limit: not held to an item's promise. */
const SHARED_PROCESSES = new Set(['demo.assistance', 'demo.market-licensing', 'demo.start-business']);

const withDepartment = (item: (typeof DEMO_CATALOGUE)[number]['item']): ItemInput => ({
  ...item,
  departmentId: 1,
});

describe('DEMO_CATALOGUE', () => {
  it('holds the ten 西湖区 items, each at its department', () => {
    assert.ok(DEMO_CATALOGUE.length >= 10);
    for (const [name, department] of REQUIRED) {
      const found = DEMO_CATALOGUE.find((e) => e.item.name === name);
      assert.ok(found, name);
      assert.equal(found.department, department, name);
    }
  });

  it('is accepted by the item schema and the catalogue rules as it stands', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(ItemInputSchema);
    for (const { item } of DEMO_CATALOGUE) {
      const input = withDepartment(item);
      assert.ok(validate(input), `${item.name}: ${JSON.stringify(validate.errors)}`);
      assert.deepEqual(itemProblems(normalizeItem(input)), [], item.name);
      // Seeded as written: nothing left for normalizeItem to trim.
      assert.deepEqual(normalizeItem(input), input, item.name);
    }
  });

  it('has unique codes and names', () => {
    const codes = DEMO_CATALOGUE.map((e) => e.item.code);
    const names = DEMO_CATALOGUE.map((e) => e.item.name);
    assert.equal(new Set(codes).size, codes.length);
    assert.equal(new Set(names).size, names.length);
  });

  it('codes each item under its department: credit code, base code, transaction number', () => {
    const prefixOf = new Map<string, string>();
    for (const { department, item } of DEMO_CATALOGUE) {
      assert.match(item.code, /^[0-9A-Z]{18}\d{14}$/, item.name);
      const creditCode = item.code.slice(0, 18);
      assert.ok(checkCreditCode(creditCode).valid, `${item.name}: ${creditCode}`);
      assert.equal(creditCode.slice(2, 8), divisionOf.get(department), item.name);
      assert.equal(prefixOf.get(department) ?? creditCode, creditCode, department);
      prefixOf.set(department, creditCode);
    }
    assert.equal(new Set(prefixOf.values()).size, prefixOf.size, 'one credit code per department');
  });

  it('names only departments of the demo region, at the province, city and county levels', () => {
    for (const { department } of DEMO_CATALOGUE) assert.ok(divisionOf.has(department), department);
    const divisions = new Set(DEMO_CATALOGUE.map((e) => divisionOf.get(e.department)));
    for (const level of ['330000', '330100', '330106']) assert.ok(divisions.has(level), level);
  });

  it('covers licensing, payment and public services, and both audiences', () => {
    const kinds = new Set(DEMO_CATALOGUE.map((e) => e.item.kind));
    for (const kind of ['licensing', 'payment', 'public_service'] as const) assert.ok(kinds.has(kind), kind);
    const audiences = new Set(DEMO_CATALOGUE.map((e) => e.item.audience));
    assert.ok(audiences.has('person'));
    assert.ok(audiences.has('enterprise'));
  });

  it('gives every item exactly one application form', () => {
    for (const { item } of DEMO_CATALOGUE) {
      assert.equal(item.materials.filter((m) => m.isApplicationForm).length, 1, item.name);
    }
  });

  it('takes every item online, each on its process', () => {
    for (const { item } of DEMO_CATALOGUE) {
      assert.equal(item.processCode, PROCESSES[item.name] ?? null, item.name);
      assert.ok(item.onlineDepth >= 3, item.name);
    }
  });

  it('runs each item on a demo process open to its audience and bound by its promised limit', () => {
    for (const { item } of DEMO_CATALOGUE) {
      const file = new URL(`../workflow/processes/${item.processCode}.json`, import.meta.url);
      const def = JSON.parse(readFileSync(file, 'utf8')) as Definition;
      assert.deepEqual(checkDefinition(def), [], item.name);
      const audiences = item.audience === 'both' ? (['person', 'enterprise'] as const) : [item.audience];
      for (const a of audiences) assert.ok(def.applicants.includes(a), `${item.name}: ${a}`);
      // The processes written for one item promise what its guide promises (a same-day item: one day).
      if (!SHARED_PROCESSES.has(item.processCode!))
        assert.deepEqual(
          def.limit,
          { amount: Math.max(item.promisedDays!, 1), unit: 'working-days' },
          item.name,
        );
    }
  });

  it('lays the process out as the five steps of a guide', () => {
    const steps = ['申请', '受理', '审查', '决定', '送达'];
    for (const { item } of DEMO_CATALOGUE) {
      assert.deepEqual(
        item.process.split('\n').map((line) => line.split('：')[0]),
        steps,
        item.name,
      );
    }
  });
});
