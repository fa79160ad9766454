// A module is entered through its index.ts only. An import from outside src/modules/<name>/ that
// reaches past that index (src/modules/org/division.store.ts) fails lint, so the boundaries the
// architecture draws stay mechanical rather than a matter of review.
import path from 'node:path';

const MODULES = `${path.sep}src${path.sep}modules${path.sep}`;

function moduleOf(file) {
  const i = file.indexOf(MODULES);
  if (i < 0) return null;
  const rest = file.slice(i + MODULES.length).split(path.sep);
  return { name: rest[0], inner: rest.slice(1).join('/') };
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'import another module only through its index.ts' },
    messages: { deep: "Import module '{{name}}' through its index.ts, not '{{inner}}'." },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const here = moduleOf(file);
    function check(node) {
      const spec = node.source && node.source.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = moduleOf(path.resolve(path.dirname(file), spec));
      if (!target || (here && here.name === target.name)) return;
      if (target.inner === '' || /^index\.tsx?$/.test(target.inner)) return;
      context.report({ node: node.source, messageId: 'deep', data: { name: target.name, inner: target.inner } });
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
