/**
 * National identifier checks: the citizen identity number (GB 11643) and the unified social credit code
 * (GB 32100). Pure functions; a failed check returns a stable reason code (an i18n key), never throws.
 */
export {
  checkCitizenId,
  chinaToday,
  citizenIdCheckCharacter,
  CITIZEN_ID_REASONS,
  maskCitizenId,
  type CitizenIdCheck,
  type CitizenIdReason,
} from './citizen-id.ts';
export {
  checkCreditCode,
  CREDIT_CODE_CHARACTERS,
  CREDIT_CODE_REASONS,
  CREDIT_CODE_TYPES,
  creditCodeCheckCharacter,
  organizationCodeCheckCharacter,
  type CreditCodeCheck,
  type CreditCodeReason,
} from './credit-code.ts';

/** The identifier kinds the check API takes. */
export const IDENTIFIER_TYPES = ['citizen-id', 'credit-code'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];
