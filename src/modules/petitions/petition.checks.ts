/**
 * What a petition must say (信访工作条例 §17, §19): who petitions — their real name, citizen ID number,
 * telephone and address, as a petition is made under one's own name — and the matter: its type, the
 * place it concerns (a division chosen down to the street or township, for 属地 routing), the matter in
 * a line, the requests (诉求) and the facts and reasons, with the materials supporting them (attachments.ts).
 * All plain text (tags stripped), each within its length; every problem at once, named by its field.
 */
import { lengthOf, plainText } from '../../kernel/text/index.ts';
import type { FieldProblem } from '../../kernel/errors.ts';
import { checkCitizenId } from '../../kernel/identifiers/index.ts';
import {
  attachmentProblems,
  stored,
  type OfferedAttachment,
  type PetitionAttachment,
} from './attachments.ts';
import { isMatterType, type MatterType } from './matter-types.ts';

export const LIMITS = {
  name: 50,
  phone: 30,
  address: 200,
  placeDetail: 200,
  matter: 100,
  requests: 2000,
  facts: 5000,
  reason: 2000,
  note: 500,
} as const;

export interface PetitionInput {
  petitioner?:
    | {
        name?: string | undefined;
        idNumber?: string | undefined;
        phone?: string | undefined;
        address?: string | undefined;
      }
    | undefined;
  matterType?: string | undefined;
  place?: string | undefined;
  placeDetail?: string | undefined;
  matter?: string | undefined;
  requests?: string | undefined;
  facts?: string | undefined;
  /** files the upload stored (or refused); never digests a client names, which would reach others' files */
  attachments?: readonly OfferedAttachment[] | undefined;
}

export interface CheckedPetition {
  petitioner: { name: string; idNumber: string; phone: string; address: string };
  matterType: MatterType;
  place: string;
  placeDetail: string;
  matter: string;
  requests: string;
  facts: string;
  attachments: PetitionAttachment[];
}

const PHONE = /^[0-9+\-() ]{5,30}$/;
const oneLine = (raw: string | undefined) => plainText(raw ?? '').replace(/\s+/g, ' ');

/**
 * Checks a petition: every problem at once. `placeKnown` says whether a code is a division of the site
 * (the caller asks org); the place must be a township or street (9 digits) or a community below it,
 * or a county with nothing below it.
 */
export async function checkPetition(
  input: PetitionInput,
  placeOk: (code: string) => Promise<'ok' | 'unknown' | 'too_shallow'>,
): Promise<{ problems: FieldProblem[]; value: CheckedPetition | null }> {
  const problems: FieldProblem[] = [];
  const add = (field: string, code: string, params?: Record<string, string | number>) =>
    problems.push(params ? { field, code, params } : { field, code });
  const text = (field: string, raw: string | undefined, max: number, required: boolean, line = true) => {
    const v = line ? oneLine(raw) : plainText(raw ?? '');
    if (required && v === '') add(field, 'errors.field_required');
    else if (lengthOf(v) > max) add(field, 'petitions.too_long', { max });
    return v;
  };
  const p = input.petitioner ?? {};
  const name = text('petitioner.name', p.name, LIMITS.name, true);
  const rawId = (p.idNumber ?? '').trim();
  let idNumber = '';
  if (rawId === '') add('petitioner.idNumber', 'errors.field_required');
  else {
    const check = checkCitizenId(rawId);
    if (!check.valid) add('petitioner.idNumber', check.reason);
    else idNumber = check.normalized;
  }
  const phone = oneLine(p.phone);
  if (phone === '') add('petitioner.phone', 'errors.field_required');
  else if (!PHONE.test(phone)) add('petitioner.phone', 'petitions.phone_invalid');
  const address = text('petitioner.address', p.address, LIMITS.address, true);

  const matterType = input.matterType;
  if (!isMatterType(matterType)) add('matterType', 'petitions.matter_type.choose');
  const place = (input.place ?? '').trim();
  if (place === '') add('place', 'petitions.place.required');
  else if (!/^\d{6}(\d{3}){0,2}$/.test(place)) add('place', 'petitions.place.unknown');
  else {
    const ok = await placeOk(place);
    if (ok !== 'ok') add('place', `petitions.place.${ok}`);
  }
  const placeDetail = text('placeDetail', input.placeDetail, LIMITS.placeDetail, false);
  const matter = text('matter', input.matter, LIMITS.matter, true);
  const requests = text('requests', input.requests, LIMITS.requests, true, false);
  const facts = text('facts', input.facts, LIMITS.facts, true, false);
  problems.push(...attachmentProblems(input.attachments ?? []));
  if (problems.length > 0 || !isMatterType(matterType)) return { problems, value: null };
  return {
    problems,
    value: {
      petitioner: { name, idNumber, phone, address },
      matterType,
      place,
      placeDetail,
      matter,
      requests,
      facts,
      attachments: stored(input.attachments ?? []),
    },
  };
}
