/** Test fixtures of the workflow module: actors of the demo region and the shipped demo processes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { nationalCalendar } from './calendar.ts';
import type { CasePorts } from './case.service.ts';
import type { Definition } from './definition.ts';

export const loadProcess = (file: string) =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, 'processes', file), 'utf8')) as Definition;

export { actor, acting } from '../../../test/support/actors.ts';

/** Departments of the demo region as the org port would give them (ids fixed for tests). */
export const FIXTURE_DEPARTMENTS = [
  { id: 10, name: '西湖区政务服务中心', divisionCode: '330106', type: 'government_services', active: true },
  { id: 20, name: '西湖区民政局', divisionCode: '330106', type: 'civil_affairs', active: true },
  { id: 21, name: '西湖区民政局救助科', divisionCode: '330106', type: 'civil_affairs', active: true },
  { id: 30, name: '杭州市城市管理局', divisionCode: '330100', type: 'urban_management', active: true },
];
export const FIXTURE_STAFF = [
  { accountId: 2, name: 'p2', departmentId: 10, divisionCode: '330106', roles: ['window_officer'] },
  { accountId: 3, name: 'p3', departmentId: 20, divisionCode: '330106', roles: ['handler'] },
  {
    accountId: 4,
    name: 'p4',
    departmentId: 20,
    divisionCode: '330106',
    roles: ['department_head', 'handler'],
  },
  { accountId: 7, name: 'p7', departmentId: 50, divisionCode: '330100', roles: ['supervisor'] },
];

/** Ports over the fixtures, on the national calendar; `overrides` replace any of them. */
export function fixturePorts(overrides: Partial<CasePorts> = {}): CasePorts {
  const calendar = nationalCalendar();
  return {
    calendarFor: async () => calendar,
    department: async (_t, id) => FIXTURE_DEPARTMENTS.find((d) => d.id === id),
    departmentsOfType: async (_t, type) => FIXTURE_DEPARTMENTS.filter((d) => d.type === type),
    staffWithRole: async (_t, where) =>
      FIXTURE_STAFF.filter(
        (s) =>
          s.roles.includes(where.role) &&
          (!where.departmentIds || where.departmentIds.includes(s.departmentId)) &&
          (!where.divisionCodes || where.divisionCodes.includes(s.divisionCode)),
      ),
    ...overrides,
  };
}
