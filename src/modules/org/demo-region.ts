/**
 * The demo region seeded into an empty database: one province-level tenant (浙江省) with one city
 * (杭州市), two counties (上城区, 西湖区), four townships and a few communities, and 35 departments
 * across the levels. Real codes and names from the national list; the site is marked 演示.
 */
import { systemContext } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { isWithin } from '../../kernel/divisions/index.ts';
import { chinaDivisionRows, importDivisions } from './division-import.ts';
import type { DepartmentType } from './department-types.ts';
import { createDepartmentService } from './department.service.ts';
import { createTenantService } from './tenant.service.ts';

export const DEMO_TENANT_ID = '330000';

const DIVISIONS: [string, string][] = [
  ['330000', '浙江省'],
  ['330100', '杭州市'],
  ['330102', '上城区'],
  ['330106', '西湖区'],
  ['330102001', '清波街道'],
  ['330102003', '湖滨街道'],
  ['330106002', '北山街道'],
  ['330106004', '西溪街道'],
  ['330102001051', '清波门社区'],
  ['330102001052', '劳动路社区'],
  ['330102003050', '涌金门社区'],
  ['330102003052', '青年路社区'],
  ['330106002051', '上保社区'],
  ['330106002052', '宝石社区'],
  ['330106004053', '石灰桥社区'],
];

const DEPARTMENTS: [division: string, name: string, type: DepartmentType][] = [
  ['330000', '浙江省人民政府办公厅', 'general_office'],
  ['330000', '浙江省发展和改革委员会', 'development_reform'],
  ['330000', '浙江省财政厅', 'finance'],
  ['330000', '浙江省农业农村厅', 'agriculture'],
  ['330000', '浙江省自然资源厅', 'natural_resources'],
  ['330000', '浙江省住房和城乡建设厅', 'housing'],
  ['330000', '浙江省应急管理厅', 'emergency'],
  ['330000', '浙江省市场监督管理局', 'market_regulation'],
  ['330000', '浙江省公安厅', 'public_security'],
  ['330000', '浙江省民政厅', 'civil_affairs'],
  ['330000', '浙江省人力资源和社会保障厅', 'human_resources'],
  ['330000', '浙江省卫生健康委员会', 'health'],
  ['330000', '浙江省教育厅', 'education'],
  ['330000', '浙江省政务服务管理办公室', 'government_services'],
  ['330000', '浙江省信访局', 'petitions'],
  ['330100', '杭州市人民政府办公厅', 'general_office'],
  ['330100', '杭州市数据资源管理局', 'big_data'],
  ['330100', '杭州市城市管理局', 'urban_management'],
  ['330100', '杭州市民政局', 'civil_affairs'],
  ['330100', '杭州市信访局', 'petitions'],
  ['330102', '上城区政务服务中心', 'government_services'],
  ['330102', '上城区城市管理局', 'urban_management'],
  ['330106', '西湖区政务服务中心', 'government_services'],
  ['330106', '西湖区民政局', 'civil_affairs'],
  // The departments behind the demo service catalogue (开办企业 runs across the first four in parallel).
  ['330106', '西湖区市场监督管理局', 'market_regulation'],
  ['330106', '杭州市公安局西湖区分局', 'public_security'],
  ['330106', '国家税务总局杭州市西湖区税务局', 'taxation'],
  ['330106', '西湖区人力资源和社会保障局', 'human_resources'],
  ['330106', '西湖区教育局', 'education'],
  ['330106', '西湖区农业农村局', 'agriculture'],
  ['330106', '西湖区住房和城乡建设局', 'housing'],
  ['330102001', '清波街道办事处', 'street_office'],
  ['330106002', '北山街道办事处', 'street_office'],
  // Named by id in the demo processes, so they stay last (34, 35 on a fresh database): the city police
  // that reviews 保安服务公司设立许可 for the province, and the street office that takes 公共租赁住房 and
  // 耕地地力保护补贴 applications for the district — neither is found by type from the item's division.
  ['330100', '杭州市公安局', 'public_security'],
  ['330106004', '西溪街道办事处', 'street_office'],
];

/** Seeds the demo region when the database has no tenant; returns whether it did. */
export async function seedDemoRegion(db: Database): Promise<boolean> {
  const tenants = createTenantService(db);
  if ((await tenants.all()).length > 0) return false;
  // Every province from the national list, so the tree reads right; the demo subtree below one of them.
  const rows = [];
  for await (const p of chinaDivisionRows({ villages: false, only: ['provinces.csv'] })) {
    if (p.code !== DEMO_TENANT_ID) rows.push(p);
  }
  await importDivisions(db, [...rows, ...DIVISIONS.map(([code, name]) => ({ code, name }))], {
    source: 'demo',
  });
  await tenants.create(systemContext(), {
    tenantId: DEMO_TENANT_ID,
    name: '浙江省人民政府（演示站点）',
    sponsor: '一网演示：浙江省人民政府办公厅',
    siteIdCode: '3300000001',
    icpNumber: '演示ICP备00000000号',
    policeFiling: '演示公网安备 33000002000001号',
    address: '杭州市省府路8号（演示）',
    phone: '0571-12345000',
    email: 'demo@example.gov.cn',
    hosts: ['localhost', '127.0.0.1'],
    isDefault: true,
  });
  const departments = createDepartmentService(db);
  const created: { id: number; division: string; type: DepartmentType }[] = [];
  for (const [division, name, type] of DEPARTMENTS) {
    // A department sits under the same-type department of the nearest level above (市民政局 under 省民政厅).
    const parent = created
      .filter((c) => c.type === type && c.division !== division && isWithin(division, c.division))
      .at(-1);
    const d = await departments.create(systemContext(DEMO_TENANT_ID), {
      divisionCode: division,
      name,
      type,
      parentId: parent?.id ?? null,
    });
    created.push({ id: d.id, division, type });
  }
  return true;
}
