// build.mjs — build the staff front end into dist/: the NHS.UK frontend
// styles (only the components used, compiled with our settings) and our
// modules bundled by esbuild, each under a content-hashed name so nginx can
// let browsers keep them for good; index.html is the one file that changes
// name-free. Run by deploy/demo and tests/run (`npm run build`).
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';
import * as sass from 'sass';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const assets = join(dist, 'assets');
const nhsuk = join(here, 'node_modules/nhsuk-frontend/dist/nhsuk');

function hashed(name, ext, text) {
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
    const file = `${name}-${hash}.${ext}`;
    writeFileSync(join(assets, file), text);
    return `/assets/${file}`;
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(assets, 'images'), { recursive: true });

const css = sass.compile(join(here, 'src/styles/app.scss'), {
    loadPaths: [join(here, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
}).css;

const js = await esbuild.build({
    entryPoints: [join(here, 'src/js/main.mjs')],
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['es2020'],
    write: false,
    legalComments: 'none',
});

// The icons the compiled styles refer to, and the favicons.
for (const image of ['favicon.ico', 'favicon.svg', 'nhsuk-icon-180.png', 'nhsuk-icon-arrow-down.svg',
                     'nhsuk-icon-arrow-up-down.svg', 'nhsuk-icon-arrow-up.svg', 'nhsuk-icon-cross.svg'])
    cpSync(join(nhsuk, 'assets/images', image), join(assets, 'images', image));

const page = readFileSync(join(here, 'src/index.html'), 'utf8')
    .replace('{{css}}', hashed('app', 'css', css))
    .replace('{{js}}', hashed('app', 'js', js.outputFiles[0].text));
writeFileSync(join(dist, 'index.html'), page);
console.log(`web: built ${dist} (css ${css.length} B, js ${js.outputFiles[0].text.length} B)`);
