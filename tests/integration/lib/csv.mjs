// csv.mjs — read a CSV file (RFC 4180: quoted fields, doubled quotes,
// newlines inside quotes) into objects keyed by the header row. The tests'
// own reader, so what they expect does not come from linksctl's (libcsv).
import fs from 'node:fs';

export function parseCsv(text) {
    const rows = [];
    let row = [], field = '', quoted = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quoted) {
            if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
            else if (c === '"') quoted = false;
            else field += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') { row.push(field); field = ''; }
        else if (c === '\n' || c === '\r') {
            if (c === '\r' && text[i + 1] === '\n') i++;
            row.push(field); rows.push(row); row = []; field = '';
        } else field += c;
    }
    if (field !== '' || row.length) { row.push(field); rows.push(row); }
    const [header, ...body] = rows;
    return body.filter((r) => r.length > 1 || r[0] !== '').map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ''])));
}

export const readCsv = (file) => parseCsv(fs.readFileSync(file, 'utf8'));
