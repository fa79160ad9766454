/**
 * The licence an approval issues (电子证照). When a case opened by an application closes approved and
 * its item names a licence, the licence is issued in the same transaction as the approval — both or
 * neither — from the application's form: the holder from the fields the item names, the licence's
 * fields as the form shows them (choices by their labels, addresses by their division names).
 */
import { systemContext, type AuditContext } from '../../kernel/audit/index.ts';
import type { Executor } from '../../kernel/db/index.ts';
import {
  choicesOf,
  divisionNames,
  fieldLabel,
  type DivisionLookup,
  type FormField,
} from '../../kernel/forms/index.ts';
import {
  chinaToday,
  CREDIT_CODE_CHARACTERS,
  creditCodeCheckCharacter,
  organizationCodeCheckCharacter,
} from '../../kernel/identifiers/index.ts';
import type { IssueInput, Licence } from '../licences/index.ts';
import type { Item } from '../services/index.ts';
import type { CaseView } from '../workflow/index.ts';
import * as store from './application.store.ts';

export interface LicencePorts {
  item(tenantId: string, code: string, ex: Executor): Promise<Item | undefined>;
  issue(ex: Executor, ctx: AuditContext, input: IssueInput): Promise<Licence>;
  /** division names, read in the approving transaction (on PGlite a query beside it would wait forever) */
  divisions(ex: Executor): DivisionLookup;
}

/** An answer as a line of text on the licence. */
async function answerText(field: FormField, value: unknown, divisions: DivisionLookup): Promise<string> {
  if (value === undefined || value === null || value === '') return '';
  if (field['x-widget'] === 'address' && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as { division: string; detail?: string };
    return `${(await divisionNames(v.division, divisions)).join('')}${v.detail ?? ''}`;
  }
  const labels = new Map(choicesOf(field, 'zh-CN').map((c) => [c.value, c.label]));
  if (Array.isArray(value)) return value.map((x) => labels.get(String(x)) ?? String(x)).join('、');
  return labels.get(String(value)) ?? String(value);
}

/**
 * The unified social credit code (GB 32100) a registration assigns: authority 9 (market regulation),
 * type 1 (enterprise), the registering department's county, and an organisation code (GB 11714) of
 * "MA" plus the case's year and sequence in the code's 31 characters — unique for as long as the
 * site's case numbers are — with both check characters.
 */
export function assignedCreditCode(division: string, caseNumber: string): string {
  const digits = CREDIT_CODE_CHARACTERS;
  const year = Number(caseNumber.slice(6, 10)) % 100;
  let n = year * digits.length ** 4 + (Number(caseNumber.slice(10)) % digits.length ** 4);
  let body = '';
  for (let i = 0; i < 6; i++) {
    body = digits[n % digits.length]! + body;
    n = Math.floor(n / digits.length);
  }
  const organization = `MA${body}`;
  const first17 = `91${division.slice(0, 6)}${organization}${organizationCodeCheckCharacter(organization)}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** The last day of a licence valid for `years` from `from` (the day before the anniversary). */
function validUntil(from: string, years: number): string {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + years, m - 1, d) - 86_400_000);
  return end.toISOString().slice(0, 10);
}

export function licenceOnApproval(ports: LicencePorts) {
  return async (tx: Executor, ctx: AuditContext | { tenantId: string }, view: CaseView): Promise<void> => {
    if (view.state.outcome !== 'approved') return;
    const a = await store.findByCase(tx, ctx.tenantId, view.number);
    if (!a || a.licenceId) return;
    const item = await ports.item(ctx.tenantId, a.itemCode, tx);
    const spec = item?.licence;
    const form = item?.form;
    if (!item || !spec || !form) return;
    const field = (name: string) => form.properties[name]!;
    const from = chinaToday();
    const assigned = spec.assignsCreditCode === true;
    const idWidget = assigned ? 'credit-code' : field(spec.holderIdField)['x-widget'];
    const input: IssueInput = {
      departmentId: item.departmentId,
      type: { code: spec.code, name: spec.name },
      holder: {
        kind: idWidget === 'credit-code' ? 'enterprise' : 'person',
        name: String(a.data[spec.holderNameField] ?? a.applicant.name),
        idNumber: assigned
          ? assignedCreditCode(item.divisionCode, view.number)
          : String(a.data[spec.holderIdField] ?? ''),
        accountId: a.applicant.accountId,
      },
      fields: await Promise.all(
        spec.fields.map(async (name) => ({
          key: name,
          label: fieldLabel(field(name), 'zh-CN'),
          value: await answerText(field(name), a.data[name], ports.divisions(tx)),
        })),
      ),
      validFrom: from,
      validUntil: spec.validYears === null ? null : validUntil(from, spec.validYears),
      caseNumber: view.number,
    };
    // The approver's request when there is one; the system's when a timer closed the case.
    const by = 'actorId' in ctx ? ctx : systemContext(ctx.tenantId);
    const licence = await ports.issue(tx, by, input);
    await store.setLicence(tx, ctx.tenantId, a.id, licence.id);
  };
}
