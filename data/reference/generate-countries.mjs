#!/usr/bin/env node
// Regenerates data/reference/countries.csv from maintained npm packages.
//
// Usage (the product itself never needs npm; this is a maintainer tool):
//   mkdir -p /tmp/refdata && cd /tmp/refdata && npm init -y >/dev/null
//   npm install iso-3166@4.4.0 world-countries@5.1.0 i18n-iso-countries@7.14.0
//   node <repo>/data/reference/generate-countries.mjs /tmp/refdata/node_modules
//
// Arguments:
//   [node_modules dir]  where the packages are installed (default: resolve from the current directory)
//   --names=iso         MIT-only output: take name and officialName from iso-3166
//                       (ISO English short names) instead of world-countries (ODbL-1.0)
//   --out=<file>        output file (default: countries.csv next to this script)
//
// Sources (see data/README.md):
//   iso-3166 (MIT)            ISO 3166-1 codes (alpha-2, alpha-3, numeric) and the
//                             ISO 3166-3 former-country codes and names.
//   world-countries (ODbL-1.0) common and official English names (name.common, name.official).
//   i18n-iso-countries (MIT)  cross-check only: every alpha-2/alpha-3/numeric triple must agree.
//   rust-iso/rust_iso3166 scripts/iso3166_3.data (Apache-2.0, GitHub) - the ISO 3166-3
//                             "period of validity" years used for validFrom/validTo.
//   UN Comtrade partner list (copy in sashakrasnov/uncomtrade partnerAreas.json) - partner
//                             code 890 "Fmr Yugoslavia" and 0 "World".

import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
const modulesDir = args.find((a) => !a.startsWith('--'));
const namesFrom = opt('names') ?? 'world-countries';
const here = dirname(fileURLToPath(import.meta.url));
const outFile = resolve(opt('out') ?? join(here, 'countries.csv'));

// Without a directory argument, packages resolve from the current working directory.
const require = createRequire(join(modulesDir ? resolve(modulesDir) : process.cwd(), 'noop.js'));
const pkgFile = (pkg, file) =>
    modulesDir ? join(resolve(modulesDir), pkg, file) : require.resolve(`${pkg}/${file}`);
const importPkg = async (pkg, file) => import(pathToFileURL(pkgFile(pkg, file)).href);
const version = (pkg) => require(pkgFile(pkg, 'package.json')).version;

const { iso31661 } = await importPkg('iso-3166', '1.js');
const { iso31663 } = await importPkg('iso-3166', '3.js');
const worldCountries = require(pkgFile('world-countries', 'countries.json'));
const i18nCodes = require(pkgFile('i18n-iso-countries', 'codes.json'));

// --- current ISO 3166-1 entries -------------------------------------------------
const byAlpha3 = new Map(worldCountries.map((c) => [c.cca3, c]));
const i18nByAlpha2 = new Map(i18nCodes.map(([a2, a3, num]) => [a2, { a3, num }]));
const problems = [];

const current = iso31661
    .filter((e) => e.state === 'assigned')
    .map((e) => {
        const numeric = String(e.numeric).padStart(3, '0');
        const x = i18nByAlpha2.get(e.alpha2);
        if (!x || x.a3 !== e.alpha3 || String(x.num).padStart(3, '0') !== numeric) {
            problems.push(`i18n-iso-countries disagrees for ${e.alpha2}/${e.alpha3}/${numeric}: ${JSON.stringify(x)}`);
        }
        let name = e.name;
        let officialName = e.name;
        if (namesFrom !== 'iso') {
            const wc = byAlpha3.get(e.alpha3);
            if (!wc) problems.push(`world-countries has no ${e.alpha3}`);
            else {
                if (wc.cca2 !== e.alpha2 || (wc.ccn3 && wc.ccn3 !== numeric)) {
                    problems.push(`world-countries disagrees for ${e.alpha3}: ${wc.cca2}/${wc.ccn3}`);
                }
                name = wc.name.common;
                officialName = wc.name.official || wc.name.common;
            }
        }
        return { alpha3: e.alpha3, alpha2: e.alpha2, numeric, name, officialName, historical: 'false', validFrom: '', validTo: '' };
    })
    .sort((a, b) => a.alpha3.localeCompare(b.alpha3));

// --- former states used by trade statistics (ISO 3166-3) ------------------------
// validFrom/validTo: ISO 3166-3 "period of validity" of the code, years only, as given in
// rust-iso/rust_iso3166 scripts/iso3166_3.data (commit bbece4a9ae264b8d0ff6d096af9384585d0fc6f9).
// They date the ISO code assignment (1974 = first edition of ISO 3166), not the state itself.
const historical = [
    { alpha3: 'SUN', validFrom: '1974', validTo: '1992' },
    { alpha3: 'YUG', validFrom: '1974', validTo: '2003', numeric: '890' },
    { alpha3: 'CSK', validFrom: '1974', validTo: '1993', alpha2: '' },
    { alpha3: 'DDR', validFrom: '1974', validTo: '1990' },
    { alpha3: 'SCG', validFrom: '2003', validTo: '2006', alpha2: '' },
    { alpha3: 'ANT', validFrom: '1974', validTo: '2010' },
];
// Overrides, each deliberate:
//  - YUG numeric: iso-3166 gives 891 (the ISO code later re-used by SCG); UN Comtrade / M49
//    use 890 "Fmr Yugoslavia" for the former SFR Yugoslavia, and 891 stays with SCG.
//  - CSK and SCG alpha-2: ISO assigned "CS" to both (CSK until 1993, SCG 2003-2006); left
//    empty so that an alpha-2 "CS" on input is never silently resolved to the wrong state.
const former = historical.map((h) => {
    const entry = iso31663.find((e) => e.from.alpha3 === h.alpha3);
    if (!entry) throw new Error(`iso-3166 has no ISO 3166-3 entry for ${h.alpha3}`);
    const f = entry.from;
    return {
        alpha3: f.alpha3,
        alpha2: h.alpha2 ?? f.alpha2,
        numeric: h.numeric ?? String(f.numeric).padStart(3, '0'),
        name: f.name,
        officialName: f.name,
        historical: 'true',
        validFrom: h.validFrom,
        validTo: h.validTo,
    };
});

// --- trade-statistics aggregate --------------------------------------------------
const world = { alpha3: 'WLD', alpha2: '', numeric: '000', name: 'World', officialName: 'World', historical: 'false', validFrom: '', validTo: '' };

const rows = [...current, ...former, world];

// --- sanity checks ----------------------------------------------------------------
if (current.length !== 249) problems.push(`expected 249 ISO 3166-1 entries, got ${current.length}`);
for (const key of ['alpha3', 'alpha2', 'numeric']) {
    const seen = new Set();
    for (const r of rows) {
        if (key === 'alpha2' && r.alpha2 === '') continue;
        if (seen.has(r[key])) problems.push(`duplicate ${key} ${r[key]}`);
        seen.add(r[key]);
    }
}
if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
}

// --- write RFC 4180 CSV, LF line endings, no BOM --------------------------------------
const columns = ['alpha3', 'alpha2', 'numeric', 'name', 'officialName', 'historical', 'validFrom', 'validTo'];
const cell = (v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const csv = [columns.join(','), ...rows.map((r) => columns.map((c) => cell(String(r[c]))).join(','))].join('\n') + '\n';
writeFileSync(outFile, csv, 'utf8');

console.error(
    `wrote ${rows.length} rows (${current.length} current, ${former.length} historical, 1 aggregate) to ${outFile}\n` +
        `names from ${namesFrom === 'iso' ? `iso-3166@${version('iso-3166')}` : `world-countries@${version('world-countries')}`}; ` +
        `codes from iso-3166@${version('iso-3166')}; cross-checked with i18n-iso-countries@${version('i18n-iso-countries')}`,
);
