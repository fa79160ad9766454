import path from 'node:path';
import { describe, it } from 'node:test';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import rule from '../eslint-rules/module-boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;
(RuleTester as unknown as { afterAll: unknown }).afterAll = () => {};

const root = process.cwd();
const inPortal = path.join(root, 'src/portal/index.tsx');
const inServices = path.join(root, 'src/modules/services/services.routes.ts');
const inOrg = path.join(root, 'src/modules/org/org.routes.ts');

new RuleTester({ languageOptions: { parser: tseslint.parser } }).run('module-boundaries', rule, {
  valid: [
    { filename: inPortal, code: "import { createOrgModule } from '../modules/org/index.ts';" },
    { filename: inServices, code: "import type { Division } from '../org/index.ts';" },
    { filename: inOrg, code: "import { findDivision } from './division.store.ts';" },
    { filename: inPortal, code: "import { usePage } from '../kernel/pages/index.tsx';" },
  ],
  invalid: [
    {
      filename: inPortal,
      code: "import { findDivision } from '../modules/org/division.store.ts';",
      errors: [{ messageId: 'deep' }],
    },
    {
      filename: inServices,
      code: "export { DEPARTMENT_TYPES } from '../org/department-types.ts';",
      errors: [{ messageId: 'deep' }],
    },
    {
      filename: inServices,
      code: "const m = await import('../org/tenant.service.ts');",
      errors: [{ messageId: 'deep' }],
    },
  ],
});
