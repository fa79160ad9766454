/**
 * The two faces every document uses: Noto Sans SC regular (body, standing in for 宋体/仿宋) and bold (titles
 * and headings, standing in for 黑体/小标宋). Both are full 10 MB TrueType files, so they are read and
 * parsed once per process; each document then embeds only the glyphs it uses (a one-page form carries a
 * few hundred glyphs, not 30,000).
 *
 * The parsed font is fontkit's — loaded through pdfkit's own resolution, so it is the copy pdfkit was
 * built against — because handing pdfkit a parsed font rather than bytes skips re-parsing the cmap and
 * layout tables on every render (measured: ~50 ms per render with bytes, ~7 ms with the parsed font).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A parsed font as pdfkit accepts it in doc.font(); opaque to us. */
export type ParsedFont = { layout: (text: string) => unknown; postscriptName: string };
export type FontFace = 'regular' | 'bold';

const FONT_FILES: Record<FontFace, string> = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

let fontkit: { create(bytes: Buffer): ParsedFont } | undefined;
const parsed = new Map<FontFace, ParsedFont>();

/** The parsed face, read from disk on first use. */
export function fontFace(face: FontFace): ParsedFont {
  let font = parsed.get(face);
  if (!font) {
    fontkit ??= createRequire(require.resolve('pdfkit'))('fontkit') as { create(bytes: Buffer): ParsedFont };
    font = fontkit.create(readFileSync(require.resolve(FONT_FILES[face])));
    parsed.set(face, font);
  }
  return font;
}
