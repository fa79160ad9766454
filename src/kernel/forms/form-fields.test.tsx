import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import type { FieldProblem } from '../errors.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { PageContext, type FormValues } from '../pages/index.tsx';
import {
  FormFields,
  INDIVIDUAL_BUSINESS_FORM as BUSINESS,
  loadAddressPickers,
  memoryDivisionLookup,
  SAMPLE_DIVISIONS,
  type AddressPickers,
} from './index.ts';

const lookup = memoryDivisionLookup(SAMPLE_DIVISIONS);
const scope = { root: '330000', lookup };

async function render(values: FormValues, problems: FieldProblem[] = [], locale: Locale = 'zh-CN') {
  const divisions = await loadAddressPickers(BUSINESS, values, scope);
  return renderToString(
    <PageContext.Provider
      value={{
        t: translator(locale),
        locale,
        url: '/',
        csrfToken: 'token',
        site: {} as never,
        siteDomain: 'example.gov.cn',
        viewer: null,
      }}
    >
      <FormFields def={BUSINESS} values={values} problems={problems} divisions={divisions} />
    </PageContext.Provider>,
  );
}

/** The markup of the `.field` block (div or fieldset) holding the element with this id. */
function blockOf(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  assert.ok(at > 0, `no element with id ${id}`);
  const start = Math.max(
    html.lastIndexOf('<div class="field', at),
    html.lastIndexOf('<fieldset class="field', at),
  );
  const tag = html.startsWith('<div', start) ? 'div' : 'fieldset';
  return html.slice(start, html.indexOf(`</${tag}>`, at));
}

describe('FormFields', () => {
  it('labels every input, with ids field-<name> and the groups as fieldsets', async () => {
    const html = await render({});
    for (const name of ['operatorName', 'operatorId', 'phone', 'education', 'scope', 'capital', 'idCopy'])
      assert.match(html, new RegExp(`<label for="field-${name}">`), name);
    assert.match(html, /<fieldset class="form-group"><legend>经营者信息<\/legend>/);
    assert.match(html, /<legend>组成形式<span class="required"> （必填）<\/span><\/legend>/);
    assert.match(html, /<label for="field-capital">资金数额（万元）/);
  });

  it('shows an error beside its field, tied to the input', async () => {
    const problem = { field: 'phone', code: 'forms.phone.area_code', params: { label: '联系电话' } };
    const block = blockOf(await render({ phone: '87654321' }, [problem]), 'field-phone');
    assert.match(block, /^<div class="field field-error">/);
    assert.match(block, /<p class="error-message" id="field-phone-error">联系电话是固定电话的，请加上区号/);
    assert.match(block, /aria-invalid="true"/);
    assert.match(block, /aria-describedby="field-phone-hint field-phone-error"/);
    assert.match(block, /value="87654321"/);
  });

  it('gives inputs the keyboard and autofill they need', async () => {
    const html = await render({});
    assert.match(html, /name="operatorName"[^>]*autocomplete="name"/);
    assert.match(html, /name="phone"[^>]*type="tel"[^>]*inputmode="tel"[^>]*autocomplete="tel"/);
    assert.match(html, /name="capital"[^>]*type="text"[^>]*inputmode="decimal"/);
    assert.match(html, /name="employees"[^>]*inputmode="numeric"/);
    assert.match(html, /name="operatorId"[^>]*maxlength="18"[^>]*autocapitalize="characters"/);
    assert.match(html, /name="openingDate" type="date"/);
    assert.match(html, /type="file" accept="application\/pdf,image\/jpeg,image\/png"/);
  });

  it('draws radios and checkboxes as fieldsets, the chosen ones checked', async () => {
    const html = await render({ organization: 'family', channels: 'store\nonline' });
    const radios = blockOf(html, 'field-organization');
    assert.match(radios, /^<fieldset class="field">/);
    assert.match(
      radios,
      /id="field-organization" type="radio" name="organization" value="individual" required\/>/,
    );
    assert.match(
      radios,
      /id="field-organization-1" type="radio" name="organization" value="family" checked required/,
    );
    const boxes = blockOf(html, 'field-channels');
    assert.equal(boxes.match(/ checked/g)?.length, 2);
  });

  it('escapes what was typed', async () => {
    const html = await render({ operatorName: '"><script>alert(1)</script>', scope: '</textarea><b>' });
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes('<b>'));
    assert.match(html, /value="&quot;>&lt;script>/);
  });

  it('speaks English when the page does', async () => {
    const html = await render({}, [], 'en');
    assert.match(html, /<label for="field-operatorName">Operator name<span class="required">/);
    assert.match(html, /<option value="bachelor">Bachelor<\/option>/);
    assert.match(html, /Show the next level/);
  });

  it('keeps uploaded references as hidden inputs, the file input no longer required', async () => {
    const block = blockOf(await render({ idCopy: 'sm3:aa\nsm3:bb' }), 'field-idCopy');
    assert.match(block, /已上传 2 个文件/);
    assert.match(
      block,
      /<input type="hidden" name="idCopy" value="sm3:aa"\/><input type="hidden" name="idCopy" value="sm3:bb"\/>/,
    );
    assert.doesNotMatch(block, /type="file"[^>]*required/);
  });

  it('refuses to draw an address without its picker', () => {
    const t = translator('zh-CN');
    const page = {
      t,
      locale: 'zh-CN' as const,
      url: '/',
      csrfToken: '',
      site: {} as never,
      siteDomain: '',
      viewer: null,
    };
    assert.throws(
      () =>
        renderToString(
          <PageContext.Provider value={page}>
            <FormFields def={BUSINESS} values={{}} problems={[]} divisions={{} as AddressPickers} />
          </PageContext.Provider>,
        ),
      /premises/,
    );
  });
});

describe('the address picker', () => {
  it('shows the chosen path, one select per level, and opens the next level after a pick', async () => {
    const html = await render({
      'premises/division/1': '330100',
      'premises/division/2': '330106',
      _pick: 'premises',
    });
    const legend = html.indexOf('<legend>经营场所');
    const block = html.slice(html.lastIndexOf('<fieldset', legend), html.indexOf('</fieldset>', legend));
    assert.match(
      block,
      /<label for="field-premises">市（地区、州、盟）<\/label><select id="field-premises" name="premises\/division\/1" autocomplete="address-level2">/,
    );
    assert.match(block, /<option value="330100" selected>杭州市<\/option>/);
    assert.match(block, /<option value="330106" selected>西湖区<\/option>/);
    assert.match(block, /name="premises\/division\/3" autocomplete="address-level4" autofocus>/);
    assert.match(
      block,
      /<option value="330106002">北山街道<\/option><option value="330106004">西溪街道<\/option>/,
    );
    assert.doesNotMatch(block, /premises\/division\/4/);
    assert.match(
      block,
      /<button type="submit" name="_pick" value="premises" class="secondary">选择下一级<\/button>/,
    );
    assert.match(block, /name="premises\/detail"[^>]*autocomplete="address-line1"/);
    // Enter in a text box must submit, not pick: an unnamed submit button comes first.
    assert.ok(html.indexOf('class="visually-hidden"') < html.indexOf('name="_pick"'));
  });

  it('finds the levels above a division given alone, as a saved answer is shown', async () => {
    const pickers = await loadAddressPickers(BUSINESS, { 'premises/division/1': '330106002051' }, scope);
    assert.deepEqual(
      pickers.premises!.levels.map((l) => l.chosen),
      ['330100', '330106', '330106002', '330106002051'],
    );
  });

  it('follows the tree, not the code: a municipality’s districts under the province', async () => {
    const national = { root: '000000', lookup };
    const pickers = await loadAddressPickers(BUSINESS, { 'premises/division/1': '110101001' }, national);
    const levels = pickers.premises!.levels;
    assert.deepEqual(
      levels[0]!.options.map((o) => o.code),
      ['110000', '330000'],
    );
    assert.deepEqual(
      levels.map((l) => l.chosen),
      ['110000', '110101', '110101001'],
    );
    assert.equal(pickers.premises!.offerPick, true);
  });

  it('offers no pick when the first level is already the level asked for', async () => {
    const pickers = await loadAddressPickers(BUSINESS, {}, { root: '330106002', lookup });
    assert.deepEqual(pickers.premises, {
      levels: [
        {
          options: [
            { code: '330106002051', name: '上保社区' },
            { code: '330106002052', name: '宝石社区' },
          ],
          chosen: undefined,
        },
      ],
      offerPick: false,
    });
  });
});
