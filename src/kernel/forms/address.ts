/**
 * Addresses: a division chosen level by level below a root (the site's jurisdiction, or the nation),
 * then the street and number typed below it.
 *
 * The picker works without JavaScript. Each level is a select named `<field>/division/<depth>`; a
 * "选择下一级" button (name `_pick`, value the field name) posts the form back and the page is drawn
 * again with the children of what was chosen — the caller treats that post like "add a row": re-render
 * with the values, save nothing (pickedAddress tells such a post apart). The division chosen is the
 * deepest select whose value lies within the one above it, so a lower select left over from before a
 * higher one changed is ignored rather than believed.
 *
 * The tree comes from a DivisionLookup the caller passes (org's division service behind two methods),
 * so the kernel does not read the org module's tables. Levels follow the tree, not the code: a
 * municipality's districts may sit straight under the province, and 东莞's towns straight under the city.
 */
import { isWithin, levelOf, levelRank, type DivisionLevel } from '../divisions/index.ts';
import type { FormValues } from '../pages/index.tsx';
import type { AddressLevel, FormDefinition, FormField } from './definition.ts';

export interface DivisionOption {
  code: string;
  name: string;
}

/**
 * The divisions a form may name. Leave inactive divisions out of both answers, so they can be neither
 * chosen nor submitted. With org's service:
 * `{ many: (c) => divisions.many(c).then((ds) => ds.filter((d) => d.active)),
 *    children: (c) => divisions.children(c, { limit: 1000, offset: 0 }).then((p) => p.items.filter((d) => d.active)) }`
 */
export interface DivisionLookup {
  /** Those of these codes that are divisions. */
  many(codes: readonly string[]): Promise<DivisionOption[]>;
  /** The divisions directly below this one, in code order. */
  children(code: string): Promise<DivisionOption[]>;
}

/** Where an address may lie and how to look divisions up. */
export interface AddressScope {
  /** Every address must lie within this division (000000 for anywhere in the country). */
  root: string;
  lookup: DivisionLookup;
}

/** A lookup over a list in memory: for tests, and for callers holding a fixed list. */
export function memoryDivisionLookup(
  rows: readonly { code: string; name: string; parentCode: string | null }[],
): DivisionLookup {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const option = (r: { code: string; name: string }) => ({ code: r.code, name: r.name });
  return {
    many: async (codes) => codes.flatMap((c) => (byCode.has(c) ? [option(byCode.get(c)!)] : [])),
    children: async (code) =>
      rows
        .filter((r) => r.parentCode === code)
        .map(option)
        .sort((a, b) => a.code.localeCompare(b.code)),
  };
}

export const DEFAULT_ADDRESS_LEVEL: AddressLevel = 'county';

export const requiredLevel = (field: FormField): AddressLevel =>
  field['x-division-level'] ?? DEFAULT_ADDRESS_LEVEL;

/** The level of a division code, or undefined for something that is not one. */
export function divisionLevel(code: string): DivisionLevel | undefined {
  const l = levelOf(code);
  return 'level' in l ? l.level : undefined;
}

const rankOf = (code: string) => {
  const level = divisionLevel(code);
  return level ? levelRank(level) : -1;
};

export const selectName = (field: string, depth: number) => `${field}/division/${depth}`;
export const detailName = (field: string) => `${field}/detail`;

/** The division a posted picker chose: the deepest select consistent with the ones above it. */
export function chosenDivision(values: FormValues, field: string): string {
  let chosen = '';
  for (let depth = 1; depth <= 5; depth++) {
    const v = (values[selectName(field, depth)] ?? '').trim();
    if (v === '' || (chosen !== '' && (v === chosen || !isWithin(v, chosen)))) break;
    chosen = v;
  }
  return chosen;
}

/** The address field a post asked to open the next level of, or undefined for an ordinary submit. */
export function pickedAddress(def: FormDefinition, values: FormValues): string | undefined {
  const name = values._pick;
  return name && def.properties[name]?.['x-widget'] === 'address' ? name : undefined;
}

/** One address field's selects, top first: the options of each level and the one chosen there. */
export interface AddressPicker {
  levels: { options: DivisionOption[]; chosen: string | undefined }[];
  /** Whether the first level is above the level asked for, so "选择下一级" has work to do. */
  offerPick: boolean;
}
export type AddressPickers = Record<string, AddressPicker>;

/**
 * What each address field's selects offer, for FormFields (rendering is synchronous, so the caller
 * loads this first). One children() call per level shown.
 */
export async function loadAddressPickers(
  def: FormDefinition,
  values: FormValues,
  scope: AddressScope,
): Promise<AddressPickers> {
  const pickers: AddressPickers = {};
  for (const [name, field] of Object.entries(def.properties)) {
    if (field['x-widget'] !== 'address') continue;
    const want = levelRank(requiredLevel(field));
    const chosenCode = chosenDivision(values, name);
    const levels: AddressPicker['levels'] = [];
    let parent = scope.root;
    while (levels.length < 5) {
      const options = await scope.lookup.children(parent);
      if (options.length === 0) break;
      const chosen = options.find((o) => chosenCode !== '' && isWithin(chosenCode, o.code))?.code;
      levels.push({ options, chosen });
      if (!chosen || rankOf(chosen) >= want) break;
      parent = chosen;
    }
    const first = levels[0]?.options[0];
    pickers[name] = { levels, offerPick: first !== undefined && rankOf(first.code) < want };
  }
  return pickers;
}

export type AddressReason =
  'forms.address.unknown_division' | 'forms.address.outside' | 'forms.address.too_shallow';

/**
 * Why a submitted division will not do, or undefined when it will: it must be a division within the
 * root, chosen down to the level the field asks for — unless nothing lies below it (a division the
 * list has no children for cannot be refined, so the applicant is not stuck).
 */
export async function divisionProblem(
  code: string,
  field: FormField,
  scope: AddressScope,
): Promise<AddressReason | undefined> {
  if (!divisionLevel(code)) return 'forms.address.unknown_division';
  if (!isWithin(code, scope.root)) return 'forms.address.outside';
  if ((await scope.lookup.many([code])).length === 0) return 'forms.address.unknown_division';
  if (rankOf(code) < levelRank(requiredLevel(field)) && (await scope.lookup.children(code)).length > 0) {
    return 'forms.address.too_shallow';
  }
  return undefined;
}

/**
 * The names from the province down to the division (浙江省 杭州市 西湖区 北山街道), for print. The
 * ancestors are found by their code prefixes, whichever of them exist — one many() call.
 */
export async function divisionNames(code: string, lookup: DivisionLookup): Promise<string[]> {
  const candidates = [2, 4, 6, 9, 12]
    .filter((n) => n <= code.length)
    .map((n) => (n < 6 ? code.slice(0, n).padEnd(6, '0') : code.slice(0, n)));
  const found = new Map((await lookup.many([...new Set(candidates)])).map((d) => [d.code, d.name]));
  return [...new Set(candidates)].flatMap((c) => {
    const name = found.get(c);
    // The statistics bureau's grouping placeholders name no place.
    return name && name !== '市辖区' && name !== '县' ? [name] : [];
  });
}
