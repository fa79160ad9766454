import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { NATIONAL_CODE } from '../../kernel/divisions/index.ts';
import {
  checkFormDefinition,
  fieldLabel,
  formPdf,
  memoryDivisionLookup,
  validateForm,
  type AddressValue,
  type FormDefinition,
  type FormField,
} from '../../kernel/forms/index.ts';
import { pdfText } from '../../kernel/pdf/index.ts';
import { DEMO_CATALOGUE } from './demo-catalogue.ts';
import { DEMO_FORMS } from './demo-forms.ts';

/**
 * The demo region's divisions as org/demo-region.ts seeds them (that list is not exported from the org
 * module; a division changed there must be changed here), below the demo site's root, 浙江省.
 */
const DEMO_DIVISIONS = [
  ['330000', '浙江省', NATIONAL_CODE],
  ['330100', '杭州市', '330000'],
  ['330102', '上城区', '330100'],
  ['330106', '西湖区', '330100'],
  ['330102001', '清波街道', '330102'],
  ['330102003', '湖滨街道', '330102'],
  ['330106002', '北山街道', '330106'],
  ['330106004', '西溪街道', '330106'],
  ['330102001051', '清波门社区', '330102001'],
  ['330102001052', '劳动路社区', '330102001'],
  ['330102003050', '涌金门社区', '330102003'],
  ['330102003052', '青年路社区', '330102003'],
  ['330106002051', '上保社区', '330106002'],
  ['330106002052', '宝石社区', '330106002'],
  ['330106004053', '石灰桥社区', '330106004'],
].map(([code, name, parentCode]) => ({ code: code!, name: name!, parentCode: parentCode! }));
const lookup = memoryDivisionLookup(DEMO_DIVISIONS);
const SCOPE = { root: '330000', lookup };
// The samples' dates of birth must lie before "today"; fixing it keeps the test independent of the clock.
const TODAY = '2025-06-01';

const ITEMS = DEMO_CATALOGUE.map((e) => e.item);
const formOf = (code: string): FormDefinition => {
  const def = DEMO_FORMS[code];
  assert.ok(def, `no form for ${code}`);
  return def;
};

/** The filled sample, as an API body: each field's x-sample. */
const samplesOf = (def: FormDefinition) =>
  Object.fromEntries(Object.entries(def.properties).map(([name, f]) => [name, f['x-sample']]));

/** A process definition's own form, read as the workflow engine reads it. */
function processForm(code: string): {
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
} {
  const url = new URL(`../workflow/processes/${code}.json`, import.meta.url);
  // A process without a form of its own (demo.start-business) takes the item's form as it is.
  return JSON.parse(readFileSync(url, 'utf8')).form ?? { properties: {} };
}
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);

/** Whether every value the form field accepts is one the process form's property accepts too. */
function withinProcessBounds(field: FormField, property: Record<string, unknown>): boolean {
  const n = (k: string) => property[k] as number | undefined;
  if (property.type === 'integer')
    return (
      field['x-widget'] === 'number' &&
      field.type === 'integer' &&
      field.minimum !== undefined &&
      field.minimum >= (n('minimum') ?? -Infinity) &&
      field.maximum !== undefined &&
      field.maximum <= (n('maximum') ?? Infinity)
    );
  if (property.type === 'string' && property.format === 'date') return field['x-widget'] === 'date';
  if (property.type === 'string')
    return (
      (field['x-widget'] === 'text' || field['x-widget'] === 'textarea') &&
      (field.minLength ?? 0) >= (n('minLength') ?? 0) &&
      field.maxLength !== undefined &&
      field.maxLength <= (n('maxLength') ?? Infinity)
    );
  return false;
}

const compact = (s: string) => s.replace(/\s+/g, '');

describe('DEMO_FORMS', () => {
  it('has one form for every item of the demo catalogue, and none for anything else', () => {
    assert.deepEqual(Object.keys(DEMO_FORMS).sort(), ITEMS.map((i) => i.code).sort());
  });

  for (const item of ITEMS) {
    describe(item.name, () => {
      const def = formOf(item.code);

      it('is a valid form definition', () => {
        assert.deepEqual(checkFormDefinition(def), []);
      });

      it('has a sample and an English label for every field, and asks for no uploads', () => {
        for (const [name, f] of Object.entries(def.properties)) {
          assert.notEqual(f['x-sample'], undefined, name);
          assert.ok(f['x-title-en'], name);
          assert.notEqual(f['x-widget'], 'file', name);
          const labels = f['x-enum-labels'];
          if (labels) assert.equal(labels.en?.length, labels['zh-CN'].length, name);
        }
        for (const g of def['x-groups']) assert.ok(g['x-title-en'], g.title);
        assert.ok(def['x-title-en']);
      });

      it('accepts its own filled sample, addresses included', async () => {
        const { problems, data } = await validateForm(def, samplesOf(def), {
          from: 'api',
          divisions: SCOPE,
          today: TODAY,
        });
        assert.deepEqual(problems, []);
        for (const name of def.required ?? []) assert.ok(name in data, `sample leaves out ${name}`);
      });

      it('prints blank and as a filled sample', async () => {
        const options = {
          title: def.title!,
          issuer: '浙江省人民政府（演示站点）',
          lang: 'zh-CN' as const,
          createdAt: new Date('2025-06-01T00:00:00Z'),
          divisions: lookup,
        };
        const blank = compact(await pdfText(await formPdf(def, { ...options, mode: 'blank' })));
        const sample = compact(await pdfText(await formPdf(def, { ...options, mode: 'sample' })));
        const fields = Object.values(def.properties);
        // The first field of every group, and the form's title, on both.
        for (const g of def['x-groups']) {
          const label = compact(fieldLabel(def.properties[g.fields[0]!]!, 'zh-CN'));
          assert.ok(blank.includes(label), label);
          assert.ok(sample.includes(label), label);
        }
        assert.ok(blank.includes(compact(def.title!)));
        // The sample's first text and first address, by name; neither on the blank form.
        const firstText = compact(fields.find((f) => f['x-widget'] === 'text')!['x-sample'] as string);
        assert.ok(sample.includes(firstText), firstText);
        assert.ok(!blank.includes(firstText), firstText);
        assert.ok(sample.includes('填写样例'));
        const place = fields.find((f) => f['x-widget'] === 'address')?.['x-sample'] as
          AddressValue | undefined;
        if (place) {
          const name = DEMO_DIVISIONS.find((d) => d.code === place.division)!.name;
          assert.ok(sample.includes(compact(`${name}${place.detail}`)), `${name}${place.detail}`);
        }
      });
    });
  }
});

describe('forms of items that run on a process', () => {
  const onProcess = ITEMS.filter((i) => i.processCode !== null);

  it('are every item: the two assistance items and the two market licences share a process', () => {
    assert.deepEqual(onProcess.map((i) => i.processCode).sort(), [
      'demo.assistance',
      'demo.assistance',
      'demo.employment-registration',
      'demo.farmland-subsidy',
      'demo.market-licensing',
      'demo.market-licensing',
      'demo.physician-registration',
      'demo.public-housing',
      'demo.resident-pension',
      'demo.school-enrolment',
      'demo.security-company',
      'demo.social-organisation',
      'demo.start-business',
    ]);
  });

  for (const item of onProcess) {
    it(`${item.name}: asks for what ${item.processCode}'s own form requires, within its bounds`, async () => {
      const def = formOf(item.code);
      const form = processForm(item.processCode!);
      for (const name of form.required ?? []) {
        assert.ok(def.required?.includes(name), `${name} is not required`);
        const field = def.properties[name];
        assert.ok(
          field && withinProcessBounds(field, form.properties[name]!),
          `${name} is wider than the process's`,
        );
      }
      // The sample application, as validated, starts the case: the engine checks it against the process form.
      const { data } = await validateForm(def, samplesOf(def), {
        from: 'api',
        divisions: SCOPE,
        today: TODAY,
      });
      const startsCase = ajv.compile({ type: 'object', ...form });
      assert.ok(startsCase(data), JSON.stringify(startsCase.errors));
    });
  }

  it('asks the assistance items for the reason in a text area and a whole amount of 1–100000 yuan', () => {
    for (const item of onProcess.filter((i) => i.processCode === 'demo.assistance')) {
      const def = formOf(item.code);
      assert.deepEqual(
        ['reason', 'amount'].filter((n) => def.required?.includes(n)),
        ['reason', 'amount'],
      );
      assert.equal(def.properties.reason?.['x-widget'], 'textarea');
      const amount = def.properties.amount!;
      assert.deepEqual(
        [amount['x-widget'], amount.type, amount.minimum, amount.maximum],
        ['number', 'integer', 1, 100000],
      );
    }
  });
});
