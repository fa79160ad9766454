/**
 * Matter types (事项类别) and routing (属地管理、分级负责): a petition about a matter of a type goes to
 * the department of the responsible type (the site's rule, else ROUTES) nearest its place in the
 * division tree — the place itself first, then each level above (a 西湖区 housing matter to 西湖区住房和城乡建设局; a 上城区 one, where
 * the district has none, to 浙江省住房和城乡建设厅 if the city has none either). Where no department of
 * that type covers the place, the petition office (信访局) of the nearest division handles it itself,
 * else the general office (办公厅) of the nearest division.
 */
import { isWithin, subtreePrefix } from '../../kernel/divisions/index.ts';
import type { DepartmentRef } from '../workflow/index.ts';

export const MATTER_TYPES = [
  'urban_rural', // 城乡建设
  'labour', // 劳动社保
  'agriculture', // 农村农业
  'land', // 自然资源
  'health', // 卫生健康
  'education', // 教育
  'law', // 公安司法
  'civil', // 民政
  'city', // 城市管理
  'other', // 其他
] as const;
export type MatterType = (typeof MATTER_TYPES)[number];

export const isMatterType = (v: string | undefined): v is MatterType =>
  (MATTER_TYPES as readonly string[]).includes(v ?? '');

/** A site's routing rules: the department type responsible for each matter type. */
export type Routes = Readonly<Record<MatterType, string>>;

/**
 * The department type responsible for each matter type where the site has set no rule of its own
 * (routing.service.ts); 'other' is the petition office's own.
 */
export const ROUTES: Routes = {
  urban_rural: 'housing',
  labour: 'human_resources',
  agriculture: 'agriculture',
  land: 'natural_resources',
  health: 'health',
  education: 'education',
  law: 'public_security',
  civil: 'civil_affairs',
  city: 'urban_management',
  other: 'petitions',
};

/** Active departments of a type at the place or above it, nearest first (ties: the oldest). */
export function nearestOfType(
  departments: readonly DepartmentRef[],
  type: string,
  place: string,
  strictlyAbove = false,
): DepartmentRef | undefined {
  return departments
    .filter(
      (d) =>
        d.active &&
        d.type === type &&
        isWithin(place, d.divisionCode) &&
        !(strictlyAbove && d.divisionCode === place),
    )
    .sort(
      (a, b) => subtreePrefix(b.divisionCode).length - subtreePrefix(a.divisionCode).length || a.id - b.id,
    )[0];
}

/** The petition office of a place: the nearest 信访局, else the nearest general office. */
export function officeFor(departments: readonly DepartmentRef[], place: string): DepartmentRef | undefined {
  return (
    nearestOfType(departments, 'petitions', place) ?? nearestOfType(departments, 'general_office', place)
  );
}

/** The department a matter of this type at this place goes to under the site's rules (see the header). */
export function route(
  departments: readonly DepartmentRef[],
  matterType: MatterType,
  place: string,
  routes: Routes = ROUTES,
): DepartmentRef | undefined {
  return nearestOfType(departments, routes[matterType], place) ?? officeFor(departments, place);
}

/**
 * The body one level up (上一级机关) that reviews a department's opinion (复查) or a review (复核): the
 * department of the same type in a division above the department's own, nearest first; else the
 * petition office above it, else the general office above it. None at the top of the site.
 */
export function upperBody(
  departments: readonly DepartmentRef[],
  of: Pick<DepartmentRef, 'type' | 'divisionCode'>,
): DepartmentRef | undefined {
  return (
    nearestOfType(departments, of.type, of.divisionCode, true) ??
    nearestOfType(departments, 'petitions', of.divisionCode, true) ??
    nearestOfType(departments, 'general_office', of.divisionCode, true)
  );
}
