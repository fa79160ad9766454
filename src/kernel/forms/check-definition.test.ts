import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFormDefinition, INDIVIDUAL_BUSINESS_FORM, type FormDefinition } from './index.ts';

/** A definition as an administrator's JSON may be: anything anywhere, which is what the check is for. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits that the types would forbid are the point
type Loose = Record<string, any>;

/** The sample form with one change made to a deep copy. */
function withChange(change: (def: Loose) => void): unknown {
  const def = structuredClone(INDIVIDUAL_BUSINESS_FORM) as Loose;
  change(def);
  return def;
}

const codesAt = (input: unknown) => checkFormDefinition(input).map((p) => `${p.path} ${p.code}`);

describe('checkFormDefinition', () => {
  it('accepts the sample 个体工商户设立登记申请表', () => {
    assert.deepEqual(checkFormDefinition(INDIVIDUAL_BUSINESS_FORM), []);
  });

  it('names an unknown widget by its pointer and value', () => {
    const problems = checkFormDefinition(withChange((d) => (d.properties.phone['x-widget'] = 'telephone')));
    assert.deepEqual(problems, [
      {
        path: '/properties/phone/x-widget',
        code: 'forms.definition.widget_unknown',
        params: { widget: 'telephone' },
      },
    ]);
  });

  it('reports a misspelt keyword as a shape problem at that keyword', () => {
    const problems = checkFormDefinition(withChange((d) => (d.properties.scope.maxLenght = 10)));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, '/properties/scope/maxLenght');
    assert.equal(problems[0]!.code, 'forms.definition.shape');
  });

  it('refuses what is not a form definition at all', () => {
    assert.deepEqual(codesAt({ type: 'array' }).sort(), [
      '/properties forms.definition.shape',
      '/type forms.definition.shape',
      '/x-groups forms.definition.shape',
    ]);
  });

  it('wants labels for every choice, in both languages when English is given', () => {
    assert.deepEqual(codesAt(withChange((d) => delete d.properties.organization['x-enum-labels'])), [
      '/properties/organization/x-enum-labels forms.definition.enum_labels_missing',
    ]);
    const short = checkFormDefinition(withChange((d) => d.properties.education['x-enum-labels'].en.pop()));
    assert.deepEqual(short, [
      {
        path: '/properties/education/x-enum-labels/en',
        code: 'forms.definition.enum_labels_length',
        params: { expected: 5, actual: 4 },
      },
    ]);
  });

  it('wants options on a choice, without repeats', () => {
    assert.deepEqual(codesAt(withChange((d) => delete d.properties.channels.items)), [
      '/properties/channels/items forms.definition.enum_missing',
    ]);
    assert.deepEqual(
      codesAt(
        withChange((d) => {
          d.properties.organization.enum = ['individual', 'individual'];
        }),
      ),
      ['/properties/organization/enum/1 forms.definition.enum_duplicate'],
    );
  });

  it('checks the layout: unknown fields in groups, fields in no group or in two', () => {
    assert.deepEqual(codesAt(withChange((d) => d['x-groups'][0].fields.push('nickname'))), [
      '/x-groups/0/fields/4 forms.definition.group_field_unknown',
    ]);
    assert.deepEqual(codesAt(withChange((d) => d['x-groups'][2].fields.push('phone'))), [
      '/x-groups/2/fields/1 forms.definition.field_in_two_groups',
    ]);
    assert.deepEqual(codesAt(withChange((d) => d['x-groups'].pop())), [
      '/properties/idCopy forms.definition.field_in_no_group',
    ]);
  });

  it('refuses a required field that is not defined, and field names unfit for ids and posts', () => {
    assert.deepEqual(codesAt(withChange((d) => d.required.push('email'))), [
      '/required/9 forms.definition.required_unknown',
    ]);
    const renamed = withChange((d) => {
      d.properties['a/b'] = d.properties.openingDate;
      delete d.properties.openingDate;
      d['x-groups'][1].fields[7] = 'a/b';
    });
    assert.deepEqual(codesAt(renamed), ['/properties/a~1b forms.definition.field_name']);
  });

  it('lets each widget take only its own keywords and JSON type', () => {
    assert.deepEqual(codesAt(withChange((d) => (d.properties.phone.maxLength = 11))), [
      '/properties/phone/maxLength forms.definition.keyword_not_allowed',
    ]);
    assert.deepEqual(codesAt(withChange((d) => (d.properties.capital.type = 'string'))), [
      '/properties/capital/type forms.definition.type_mismatch',
    ]);
    assert.deepEqual(codesAt(withChange((d) => (d.properties.capital.minimum = 1e9))), [
      '/properties/capital/minimum forms.definition.range_inverted',
    ]);
  });

  it('keeps a file field to the platform’s file types, and without a sample', () => {
    assert.deepEqual(
      codesAt(
        withChange((d) => {
          d.properties.idCopy['x-accept'] = ['application/pdf', 'application/x-msdownload'];
          d.properties.idCopy['x-sample'] = 'blob:1';
        }),
      ),
      [
        '/properties/idCopy/x-accept/1 forms.definition.accept_unknown',
        '/properties/idCopy/x-sample forms.definition.sample_not_allowed',
      ],
    );
  });

  it('refuses a sample the form itself would refuse, naming the reason, in form order', () => {
    const problems = checkFormDefinition(
      withChange((d) => {
        d.properties.operatorId['x-sample'] = '330106199003070013';
        d.properties.capital['x-sample'] = -1;
        d.properties.premises['x-sample'] = { division: '330106', detail: '1号' };
      }),
    );
    assert.deepEqual(
      problems.map((p) => [p.path, p.params?.reason]),
      [
        ['/properties/operatorId/x-sample', 'identifiers.citizen_id.check_character'],
        ['/properties/premises/x-sample', 'forms.address.too_shallow'],
        ['/properties/capital/x-sample', 'forms.number.minimum'],
      ],
    );
  });

  it('lets a field leave out its JSON type, the widget implying it', () => {
    const def: FormDefinition = {
      type: 'object',
      properties: {
        code: { title: '统一社会信用代码', 'x-widget': 'credit-code', 'x-sample': '91330100799655058B' },
      },
      'x-groups': [{ title: '单位', fields: ['code'] }],
    };
    assert.deepEqual(checkFormDefinition(def), []);
  });
});
