// Builds widget/src/ into the one served file, widget/smartmed-widget.js (issue 18).
//   node build.mjs          writes the file
//   node build.mjs --check  exits 1 when the file is not exactly the build of the source
// The output depends on the source and the pinned esbuild only: no timestamps, no paths.
import { build, transform } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const OUTPUT = join(HERE, 'smartmed-widget.js');
const BANNER = '/*! Smart Meditation reading widget */';

const STATE_FIELDS = new RegExp('^(' + ['options', 'skeleton', 'impressionTimer', 'watched',
  'onClick', 'near', 'card', 'widget', 'ids', 'bad', 'root', 'host', 'tipText',
  'helpLink', 'partnerInfo', 'eventLang', 'dataUrl', 'articleItem', 'heading', 'words', 'guess'].join('|') + ')$');

// widget.css becomes one minified string in the script (the shadow root's stylesheet).
const minifiedCss = {
  name: 'minified-css',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => {
      const css = await transform(await readFile(args.path, 'utf8'), { loader: 'css', minify: true });
      // esbuild keeps the spaces in custom property values and after commas in lists;
      // neither means anything in this stylesheet (no font name holds ", ").
      const code = css.code.trim().replace(/(--[\w-]+): /g, '$1:').replace(/, /g, ',');
      return { contents: code, loader: 'text' };
    });
  },
};

/** The built script, as bytes. */
export async function buildWidget() {
  const result = await build({
    entryPoints: [join(HERE, 'src', 'main.js')],
    bundle: true,
    format: 'iife',
    minify: true,
    target: ['chrome100', 'firefox100', 'safari15'],
    charset: 'utf8',
    legalComments: 'none',
    banner: { js: BANNER },
    write: false,
    plugins: [minifiedCss],
    // The widget's own bookkeeping fields get short names in the output (none of these
    // names is a DOM or API field, so nothing outside the script can tell).
    mangleProps: STATE_FIELDS,
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildWidget();
  if (process.argv.includes('--check')) {
    const committed = await readFile(OUTPUT);
    if (!committed.equals(built)) {
      console.error('smartmed-widget.js is not the build of widget/src/: run `npm run build` in widget/');
      process.exit(1);
    }
    console.log('smartmed-widget.js is the build of widget/src/');
  } else {
    await writeFile(OUTPUT, built);
    console.log(`wrote ${OUTPUT} (${built.length} bytes)`);
  }
}
