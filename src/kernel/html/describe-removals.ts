import type { Translate } from '../i18n/index.ts';
import type { Removal } from './sanitize-rich-text.ts';

const MESSAGES: Record<Removal['kind'], string> = {
  element: 'html.removed.element',
  attribute: 'html.removed.attribute',
  url: 'html.removed.url',
};

/**
 * One sentence per removal, for the notice a publisher sees after saving a body ("已删除不安全的内容：
 * <script>（2 处）"). Returns nothing when nothing was removed; `html.removed.title` heads the list.
 */
export function describeRemovals(t: Translate, removed: readonly Removal[]): string[] {
  return removed.map(({ kind, name, count }) =>
    t(MESSAGES[kind], { name: kind === 'element' ? `<${name}>` : name, count }),
  );
}
