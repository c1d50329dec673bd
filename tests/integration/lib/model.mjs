// model.mjs — what a search should return, computed from the database's
// tables and the documented rules (docs/openapi.yaml, docs/PLUGINS.md),
// not from linksd's SQL: which services match, how far they are, and how
// the board's plugin orders them.
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { env } from './env.mjs';
import { lit, sql, sqlOne } from './db.mjs';

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km (haversine, mean Earth radius). */
export function haversineKm(lat1, lon1, lat2, lon2) {
    const rad = (d) => (d * Math.PI) / 180;
    const a = Math.sin(rad(lat2 - lat1) / 2) ** 2 +
              Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(a));
}

export const sectorOf = (postcode) => postcode.slice(0, postcode.length - 2);
export const districtOf = (area) => area.split(' ')[0];

/** The board's row: { id, code, slug, name }. */
export function boardRow(slug) {
    const b = sqlOne(`SELECT id, code, slug, name FROM board WHERE slug = ${lit(slug)}`);
    assert.ok(b, `board ${slug} is not in the database`);
    return b;
}

/** A postcode, sector or district as the database knows it (normalised text), or undefined. */
export function place(text) {
    const p = sqlOne(`SELECT p.postcode, p.district, p.sector, p.lat, p.lon, p.council_code, p.data_zone,
                             p.data_zone_exact, dz.simd_decile, ca.name AS council_name, 'postcode' AS kind,
                             p.board_code
                        FROM postcode p LEFT JOIN data_zone dz ON dz.code = p.data_zone
                        LEFT JOIN council_area ca ON ca.code = p.council_code
                       WHERE p.postcode = ${lit(text)}`);
    if (p)
        return p;
    return sqlOne(`SELECT NULL AS postcode, split_part(a.area, ' ', 1) AS district,
                          CASE WHEN a.kind = 'sector' THEN a.area END AS sector, a.lat, a.lon,
                          a.council_code, NULL AS data_zone, false AS data_zone_exact, NULL AS simd_decile,
                          ca.name AS council_name, a.kind, a.board_code
                     FROM postcode_area a LEFT JOIN council_area ca ON ca.code = a.council_code
                    WHERE a.area = ${lit(text)}`);
}

/** The areas a place lies in, as service areas name them ("council:S12000049"...). */
export function originAreas(origin) {
    return ['scotland:S92000003', origin.council_code && `council:${origin.council_code}`,
            origin.district && `district:${origin.district}`, origin.board_code && `board:${origin.board_code}`]
        .filter(Boolean);
}

/**
 * The day before which a service counts as overdue for review on this board:
 * today (UTC, as PostgreSQL's current_date here) less the board's review
 * period and grace.
 */
export function overdueCutoff(boardSlug) {
    return sqlOne(`SELECT (current_date - review_period_days - review_grace_days)::text AS cutoff
                     FROM board WHERE slug = ${lit(boardSlug)}`).cutoff;
}

/**
 * The services a board's search can return, before the place filter: active,
 * the board's own or national, matching the text (PostgreSQL full text search,
 * English, web-search syntax, over the service's search vector) and in the
 * category or a descendant (walked with a recursive query over parent_id).
 * Each with its locations.
 */
export function candidates(boardSlug, { q, category } = {}) {
    const text = q ? `AND s.search_vector @@ websearch_to_tsquery('english', ${lit(q)})` : '';
    const cat = category
        ? `AND EXISTS (WITH RECURSIVE sub AS (SELECT id FROM category WHERE slug = ${lit(category)}
                                              UNION SELECT c.id FROM category c JOIN sub ON c.parent_id = sub.id)
                       SELECT 1 FROM service_category sc WHERE sc.service_id = s.id AND sc.category_id IN (SELECT id FROM sub))`
        : '';
    const cutoff = overdueCutoff(boardSlug);
    return sql(`SELECT s.id, s.name, s.is_free, s.area, s.board_id,
                       (SELECT coalesce(array_agg(a.kind || ':' || a.code), '{}') FROM service_area a
                         WHERE a.service_id = s.id AND a.code IS NOT NULL) AS area_codes,
                       s.last_reviewed::text AS last_reviewed,
                       coalesce((SELECT json_agg(json_build_object('id', l.id, 'lat', l.lat, 'lon', l.lon,
                                                                   'council_code', l.council_code, 'postcode', l.postcode)
                                                 ORDER BY l.id)
                                   FROM service_at_location sal JOIN location l ON l.id = sal.location_id
                                  WHERE sal.service_id = s.id), '[]'::json) AS locations
                  FROM service s JOIN board b ON b.slug = ${lit(boardSlug)}
                 WHERE s.status = 'active' AND (s.board_id = b.id OR s.board_id IS NULL) ${text} ${cat}
                 ORDER BY s.id`).map((s) => ({ ...s, overdue: s.last_reviewed === null || s.last_reviewed < cutoff }));
}

/** Distance from the origin to the nearest location (null without locations). */
export function nearestKm(service, origin) {
    let best = null;
    for (const l of service.locations) {
        const d = haversineKm(origin.lat, origin.lon, l.lat, l.lon);
        if (best === null || d < best)
            best = d;
    }
    return best;
}

/**
 * Keep what a search from `origin` within `radiusKm` returns: local services
 * with a location within the radius or a service area that covers the
 * origin (then without a distance: `covered`), board-wide and national ones
 * wherever they are. Adds distance_km (unrounded).
 */
export function withinRadius(services, origin, radiusKm) {
    const areas = originAreas(origin);
    const out = [];
    for (const s of services) {
        const d = nearestKm(s, origin);
        if (s.area !== 'local' || (d !== null && d <= radiusKm))
            out.push({ ...s, distance_km: d });
        else if (s.area_codes.some((a) => areas.includes(a)))
            out.push({ ...s, distance_km: null, covered: true });
    }
    return out;
}

// ---- the plugins' settings, from this run's linksd.conf --------------------

function runConfig() {
    try {
        return fs.readFileSync(`${env.run}/linksd.conf`, 'utf8').replace(/#.*$/gm, '');
    } catch {
        return null;
    }
}

function setting(conf, name, fallback) {
    const m = conf?.match(new RegExp(`\\b${name}\\s*=\\s*([^;]+);`));
    return m ? m[1].trim() : fallback;
}

const truthy = (v) => v === 'true' || v === '1';

/** Glasgow settings (docs/PLUGINS.md defaults when the config does not say). */
export function glasgowSettings() {
    const conf = runConfig();
    return {
        decileMax: Number(setting(conf, 'deprived_decile_max', '2')),
        deprivedRadiusKm: Number(setting(conf, 'deprived_radius_km', '3.0')),
        preferOwnCouncil: truthy(setting(conf, 'prefer_own_council', 'true')),
    };
}

const DEFAULT_FIFE_LOCALITIES = [
    { name: 'Cowdenbeath', areas: ['KY4', 'KY5'] },
    { name: 'Dunfermline', areas: ['KY11', 'KY12'] },
    { name: 'Glenrothes', areas: ['KY6', 'KY7'] },
    { name: 'Kirkcaldy', areas: ['KY1', 'KY2', 'KY3'] },
    { name: 'Levenmouth', areas: ['KY8', 'KY1 4'] },
    { name: 'North East Fife', areas: ['KY9', 'KY10', 'KY14', 'KY15', 'KY16', 'DD6'] },
    { name: 'South West Fife', areas: ['KY11 1', 'KY11 2', 'KY11 3', 'KY11 7', 'KY11 9', 'KY12 8', 'KY12 9', 'FK10 4'] },
];

/** Fife settings: the localities as configured for this run (PLUGINS.md's default mapping otherwise). */
export function fifeSettings() {
    const conf = runConfig();
    let localities = DEFAULT_FIFE_LOCALITIES;
    const block = conf?.match(/localities\s*=\s*\(([\s\S]*?)\)\s*;/);
    if (block) {
        localities = [...block[1].matchAll(/name\s*=\s*"([^"]+)"\s*;\s*areas\s*=\s*\[([^\]]*)\]/g)]
            .map((m) => ({ name: m[1], areas: [...m[2].matchAll(/"([^"]+)"/g)].map((a) => a[1]) }));
        assert.ok(localities.length > 0, 'could not read the Fife localities from linksd.conf');
    }
    return { localities, preferFifeWide: truthy(setting(conf, 'prefer_fife_wide', 'true')) };
}

/** Fife's locality for a postcode sector (or district): longest prefix wins. */
export function fifeLocality(settings, area) {
    const byArea = new Map();
    for (const l of settings.localities)
        for (const a of l.areas)
            byArea.set(a, l.name);
    if (area.includes(' ') && byArea.has(area))
        return byArea.get(area);
    return byArea.get(districtOf(area)) ?? null;
}

// ---- the plugins' plans ------------------------------------------------------

/**
 * What the Glasgow plugin does for this origin (docs/PLUGINS.md): the radius
 * used, a preference key per service (the position of the first preference
 * it meets, lower first: docs/PLUGINS.md) and the explanation.
 */
export function glasgowPlan(origin, askedRadiusKm, settings = glasgowSettings()) {
    const council = settings.preferOwnCouncil && origin.council_code ? origin.council_code : null;
    const councilName = origin.council_name ?? `council area ${council}`;
    const own = (s) => s.locations.some((l) => l.council_code === council) || s.area_codes.includes(`council:${council}`);
    const deprived = origin.simd_decile !== null && origin.simd_decile >= 1 && origin.simd_decile <= settings.decileMax;
    if (deprived) {
        const radius = Math.min(askedRadiusKm, settings.deprivedRadiusKm);
        return {
            radiusKm: radius,
            // first preference met: free (0), else own council (1), else the rest
            key: (s) => (council ? [s.is_free ? 0 : own(s) ? 1 : 2] : [s.is_free ? 0 : 1]),
            explanation: `Most deprived area (SIMD decile ${origin.simd_decile}): free services first, within ${radius} km` +
                         (council ? `; services in ${councilName} first` : ''),
        };
    }
    if (!council)
        return { radiusKm: askedRadiusKm, key: () => [], explanation: null };
    return { radiusKm: askedRadiusKm, key: (s) => [own(s) ? 0 : 1], explanation: `Services in ${councilName} first` };
}

/** What the Fife plugin does for this origin (docs/PLUGINS.md). */
export function fifePlan(origin, askedRadiusKm, settings = fifeSettings()) {
    const locality = (origin.sector && fifeLocality(settings, origin.sector)) ||
                     (origin.district && fifeLocality(settings, origin.district)) || null;
    const wide = (s) => (s.area !== 'local' ? 0 : 1);
    if (locality) {
        const inLocality = (s) => s.locations.some((l) => fifeLocality(settings, sectorOf(l.postcode)) === locality);
        return {
            radiusKm: askedRadiusKm,
            locality,
            // first preference met: in the locality (0), else Fife-wide (1), else the rest
            key: (s) => (settings.preferFifeWide ? [inLocality(s) ? 0 : wide(s) === 0 ? 1 : 2] : [inLocality(s) ? 0 : 1]),
            explanation: `${locality} locality first${settings.preferFifeWide ? ', then Fife-wide services' : ''}`,
        };
    }
    if (!settings.preferFifeWide)
        return { radiusKm: askedRadiusKm, locality: null, key: () => [], explanation: null };
    return { radiusKm: askedRadiusKm, locality: null, key: (s) => [wide(s)], explanation: 'Not in a Fife locality: Fife-wide services first' };
}

export function compareKeys(a, b) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const d = (a[i] ?? 0) - (b[i] ?? 0);
        if (d !== 0)
            return d;
    }
    return 0;
}

const TIE_KM = 1e-6;

/**
 * The expected order as groups of ids whose relative order the rules leave
 * open (same preference key and same distance: then relevance, name and id
 * decide). `services` carry distance_km.
 */
export function expectedGroups(services, key) {
    // Services overdue for review come after every current one.
    const rows = services.map((s) => ({ s, k: [s.overdue ? 1 : 0, ...key(s)] }));
    rows.sort((a, b) => compareKeys(a.k, b.k) ||
        (a.s.distance_km === null) - (b.s.distance_km === null) ||
        (a.s.distance_km ?? 0) - (b.s.distance_km ?? 0));
    const groups = [];
    for (const r of rows) {
        const last = groups.at(-1);
        if (last && compareKeys(last.key, r.k) === 0 &&
            ((last.distance === null && r.s.distance_km === null) ||
             (last.distance !== null && r.s.distance_km !== null && Math.abs(last.distance - r.s.distance_km) < TIE_KM)))
            last.ids.push(r.s.id);
        else
            groups.push({ key: r.k, distance: r.s.distance_km, ids: [r.s.id] });
    }
    return groups;
}

/**
 * Assert that the API's items are exactly the expected services, in an order
 * the expected groups allow, and that rank_tier rises exactly where the
 * preference key does.
 */
export function assertOrder(items, services, key, label) {
    const byId = new Map(services.map((s) => [s.id, s]));
    const got = items.map((i) => i.id);
    const missing = services.filter((s) => !got.includes(s.id)).map((s) => `${s.name} (${s.id})`);
    const extra = items.filter((i) => !byId.has(i.id)).map((i) => `${i.name} (${i.id})`);
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${label}: result set differs from the directory's`);
    assert.equal(new Set(got).size, got.length, `${label}: an id appears twice`);

    const groups = expectedGroups(services, key);
    const groupOf = new Map();
    groups.forEach((g, gi) => g.ids.forEach((id) => groupOf.set(id, gi)));
    for (let i = 1; i < items.length; i++) {
        const a = items[i - 1], b = items[i];
        const ga = groupOf.get(a.id), gb = groupOf.get(b.id);
        assert.ok(ga <= gb, `${label}: "${a.name}" (key ${JSON.stringify(key(byId.get(a.id)))}, ` +
                  `${byId.get(a.id).distance_km?.toFixed(3)} km, tier ${a.rank_tier}) comes before ` +
                  `"${b.name}" (key ${JSON.stringify(key(byId.get(b.id)))}, ${byId.get(b.id).distance_km?.toFixed(3)} km, ` +
                  `tier ${b.rank_tier}), but the rules put it after`);
        assert.equal(a.review_overdue, byId.get(a.id).overdue, `${label}: "${a.name}" review_overdue`);
        if (a.review_overdue !== b.review_overdue)
            continue;
        const c = compareKeys(key(byId.get(a.id)), key(byId.get(b.id)));
        if (c === 0)
            assert.equal(a.rank_tier, b.rank_tier, `${label}: "${a.name}" and "${b.name}" have the same preferences but different rank_tier`);
        else
            assert.ok(a.rank_tier < b.rank_tier, `${label}: rank_tier does not rise from "${a.name}" to "${b.name}"`);
    }
    for (const i of items) {
        const s = byId.get(i.id);
        if (s.distance_km === null)
            assert.equal(i.distance_km, null, `${label}: ${i.name} has no location (or is found by its area), yet distance_km ${i.distance_km}`);
        else
            assert.ok(Math.abs(i.distance_km - s.distance_km) <= 0.0051,
                      `${label}: ${i.name}: distance_km ${i.distance_km}, expected ${s.distance_km.toFixed(4)}`);
    }
}

/** The ids of `items` that are also in `ids`, in `items`' order. */
export function restrictTo(items, ids) {
    const keep = new Set(ids);
    return items.map((i) => i.id).filter((id) => keep.has(id));
}
