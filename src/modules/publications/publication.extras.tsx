/**
 * What other modules add to a publication's article page: sections of links under its body (a policy
 * document's interpretations and lifecycle, an interpretation's policy). The publications module stays
 * ignorant of what they mean; src/app.ts wires the source. Headings and notes come translated.
 */
import type { Translate } from '../../kernel/i18n/index.ts';
import type { Publication } from './catalogue.ts';

export interface ArticleExtraSection {
  heading: string;
  links: { label: string; href: string; note?: string | undefined }[];
}

/** Asked once per article page view, for the publication shown; what is returned is shown as given. */
export type ArticleExtras = (
  tenantId: string,
  publication: Publication,
  t: Translate,
) => Promise<ArticleExtraSection[]>;

export function ArticleExtrasSections(props: { sections: ArticleExtraSection[] | undefined }) {
  const sections = (props.sections ?? []).filter((s) => s.links.length > 0);
  if (sections.length === 0) return null;
  return (
    <>
      {sections.map((s) => (
        <section class="article-extras">
          <h2>{s.heading}</h2>
          <ul>
            {s.links.map((l) => (
              <li>
                <a href={l.href}>{l.label}</a>
                {l.note ? `（${l.note}）` : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
