/**
 * The electronic licences the demo catalogue's approvals issue, by item name: the licence type and
 * which of the item's form fields it carries (see demo-forms.ts for the fields).
 * 开办企业's 营业执照 belongs to the new company, whose unified social credit code the registration
 * assigns (assignsCreditCode).
 */
import type { LicenceSpec } from './catalogue.ts';

export const DEMO_LICENCES: Record<string, LicenceSpec> = {
  '开办企业（一件事）': {
    code: 'business_licence',
    name: '营业执照',
    holderNameField: 'companyName',
    holderIdField: '',
    assignsCreditCode: true,
    fields: ['companyType', 'legalRepName', 'registeredCapital', 'residence', 'operatingTerm', 'scope'],
    validYears: null,
  },
  个体工商户设立登记: {
    code: 'individual_business_licence',
    name: '营业执照（个体工商户）',
    holderNameField: 'operatorName',
    holderIdField: 'operatorId',
    fields: ['businessName', 'organization', 'premises', 'capital', 'scope'],
    validYears: null,
  },
  食品经营许可: {
    code: 'food_business_licence',
    name: '食品经营许可证',
    holderNameField: 'applicantName',
    holderIdField: 'creditCode',
    fields: ['legalRepName', 'premises', 'operatorType', 'activities'],
    validYears: 5,
  },
};
