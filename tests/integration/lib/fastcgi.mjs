// fastcgi.mjs — a minimal FastCGI client (one GET per connection), to talk
// to linksd without nginx: the socket-activation tests use it.
import net from 'node:net';

function record(type, requestId, content) {
    const header = Buffer.alloc(8);
    header.writeUInt8(1, 0);                // version
    header.writeUInt8(type, 1);
    header.writeUInt16BE(requestId, 2);
    header.writeUInt16BE(content.length, 4);
    header.writeUInt8(0, 6);                // no padding
    return Buffer.concat([header, content]);
}

function nameValue(name, value) {
    const n = Buffer.from(name), v = Buffer.from(value);
    const len = (b) => (b.length < 128 ? Buffer.from([b.length])
                                       : Buffer.from([(b.length >>> 24) | 0x80, b.length >>> 16 & 255, b.length >>> 8 & 255, b.length & 255]));
    return Buffer.concat([len(n), len(v), n, v]);
}

/** GET `uri` (path and query) over the FastCGI socket at `socketPath`.
 *  Resolves to { status, headers (lower-case names), body }. */
export function fastcgiGet(socketPath, uri, { timeoutMs = 5000 } = {}) {
    return fastcgiRequest(socketPath, 'GET', uri, { timeoutMs });
}

/** Any request: `params` are extra FastCGI parameters (HTTP_COOKIE,
 *  CONTENT_TYPE...); `body` (a Buffer or string) goes on FCGI_STDIN with
 *  its CONTENT_LENGTH unless `params` gives one. */
export function fastcgiRequest(socketPath, method, uri, { params: extra = {}, body, timeoutMs = 5000 } = {}) {
    const [path, query = ''] = uri.split('?');
    const input = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
    const all = { REQUEST_METHOD: method, DOCUMENT_URI: path, QUERY_STRING: query, REQUEST_ID: 'f'.repeat(32),
                  REMOTE_ADDR: '127.0.0.1', ...(body === undefined ? {} : { CONTENT_LENGTH: String(input.length) }), ...extra };
    const params = Buffer.concat(Object.entries(all).map(([k, v]) => nameValue(k, v)));
    const stdin = [];
    for (let i = 0; i < input.length; i += 65535)
        stdin.push(record(5, 1, input.subarray(i, i + 65535)));
    const begin = Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]);    // role: responder, no keep-alive
    return new Promise((resolve, reject) => {
        const sock = net.connect(socketPath);
        const chunks = [];
        const timer = setTimeout(() => { sock.destroy(); reject(new Error('FastCGI request timed out')); }, timeoutMs);
        sock.on('error', (e) => { clearTimeout(timer); reject(e); });
        sock.on('data', (d) => chunks.push(d));
        sock.on('close', () => {
            clearTimeout(timer);
            const all = Buffer.concat(chunks);
            let stdout = Buffer.alloc(0);
            for (let i = 0; i + 8 <= all.length;) {
                const type = all.readUInt8(i + 1), len = all.readUInt16BE(i + 4), pad = all.readUInt8(i + 6);
                if (type === 6)
                    stdout = Buffer.concat([stdout, all.subarray(i + 8, i + 8 + len)]);
                i += 8 + len + pad;
            }
            const text = stdout.toString('utf8');
            const split = text.indexOf('\r\n\r\n');
            if (split < 0)
                return reject(new Error(`no header block in FastCGI answer: ${JSON.stringify(text.slice(0, 200))}`));
            const headers = {};
            for (const line of text.slice(0, split).split('\r\n')) {
                const colon = line.indexOf(':');
                headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
            }
            resolve({ status: Number(headers.status.split(' ')[0]), headers, body: text.slice(split + 4) });
        });
        sock.write(Buffer.concat([record(1, 1, begin), record(4, 1, params), record(4, 1, Buffer.alloc(0)),
                                  ...stdin, record(5, 1, Buffer.alloc(0))]));
    });
}
