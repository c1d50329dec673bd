-- Demo data, step 3: links.demo_services demo services (default 400) with
-- their organizations, locations at real postcodes, and categories.
--
-- Every row made here is fictional and says so: service.demo = true, the
-- service and organization descriptions start with "Demo entry:", and the
-- organization name ends with "(demo)". Phone numbers are in ranges that
-- reach nobody (Ofcom's drama ranges 0141 496 0xxx, 07700 900xxx,
-- 0808 157 0xxx; elsewhere local numbers starting with 0, which are never
-- allocated); web and email addresses are at example.org.
--
-- Place names are real neighbourhoods and towns of Greater Glasgow & Clyde
-- and Fife; each location is a real postcode of the right district and
-- council area near the place (Code-Point Open, see schema/data/README.md).
-- Only G and KY postcodes are shipped, so Greater Glasgow and Clyde's PA
-- towns (Paisley, Greenock: Renfrewshire, Inverclyde) get no local
-- services; Renfrewshire appears through its G52 postcodes (Hillington).
--
-- Deterministic: ids are md5 of "links-demo:<kind>:<n>" and all random
-- choices come from one table of random numbers drawn in order after
-- setseed(links.demo_seed), so the same seed gives the same rows.
-- Idempotent: rows are upserted by id, demo rows that are no longer wanted
-- are deleted, category/location links are only touched where they change.
-- Cost is linear in links.demo_services (hash joins and array look-ups).
--
-- The first services are fixed "anchors" that tests and demos rely on (e.g.
-- walking groups near G12 8QQ, food near G51 1AA, debt advice near KY1 1AB,
-- free and paid classes in SIMD decile 1-2 Glasgow, look-alike services on
-- both sides of the Glasgow City boundary); then one service in every place;
-- then weighted random ones.

SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL jit = off;
SET LOCAL client_min_messages = warning;

SELECT setseed(hashint4(seed + 30)::float8 / 2147483648.0) FROM demo_setting;

------------------------------------------------------------------------
-- Places. weight: relative share of local services within the board
-- (boards get 60% / 40% of them); hub: where board-wide and national
-- services have their offices; area: telephone area code.
CREATE TEMP TABLE demo_place (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    town        text NOT NULL,
    district    text NOT NULL,
    council_code text NOT NULL,
    lat         float8 NOT NULL,
    lon         float8 NOT NULL,
    weight      integer NOT NULL,
    phone_area  text NOT NULL,
    hub         boolean NOT NULL DEFAULT false,
    board_id    smallint
) ON COMMIT DROP;

INSERT INTO demo_place (name, town, district, council_code, lat, lon, weight, phone_area, hub) VALUES
    -- Glasgow City
    ('Glasgow',        'Glasgow', 'G2',  'S12000049', 55.8620, -4.2560, 0, '0141', true),
    ('Merchant City',  'Glasgow', 'G1',  'S12000049', 55.8590, -4.2420, 1, '0141', false),
    ('Townhead',       'Glasgow', 'G4',  'S12000049', 55.8650, -4.2400, 1, '0141', false),
    ('Anderston',      'Glasgow', 'G3',  'S12000049', 55.8610, -4.2680, 1, '0141', false),
    ('Finnieston',     'Glasgow', 'G3',  'S12000049', 55.8640, -4.2850, 1, '0141', false),
    ('Partick',        'Glasgow', 'G11', 'S12000049', 55.8700, -4.3100, 3, '0141', false),
    ('Hillhead',       'Glasgow', 'G12', 'S12000049', 55.8750, -4.2920, 2, '0141', false),
    ('Anniesland',     'Glasgow', 'G13', 'S12000049', 55.8900, -4.3220, 1, '0141', false),
    ('Knightswood',    'Glasgow', 'G13', 'S12000049', 55.8950, -4.3400, 2, '0141', false),
    ('Scotstoun',      'Glasgow', 'G14', 'S12000049', 55.8810, -4.3350, 1, '0141', false),
    ('Yoker',          'Glasgow', 'G14', 'S12000049', 55.8850, -4.3800, 1, '0141', false),
    ('Drumchapel',     'Glasgow', 'G15', 'S12000049', 55.9060, -4.3650, 3, '0141', false),
    ('Maryhill',       'Glasgow', 'G20', 'S12000049', 55.8920, -4.2850, 3, '0141', false),
    ('Ruchill',        'Glasgow', 'G20', 'S12000049', 55.8860, -4.2720, 1, '0141', false),
    ('Springburn',     'Glasgow', 'G21', 'S12000049', 55.8830, -4.2320, 3, '0141', false),
    ('Royston',        'Glasgow', 'G21', 'S12000049', 55.8700, -4.2250, 1, '0141', false),
    ('Balornock',      'Glasgow', 'G21', 'S12000049', 55.8880, -4.2150, 1, '0141', false),
    ('Possilpark',     'Glasgow', 'G22', 'S12000049', 55.8880, -4.2540, 2, '0141', false),
    ('Milton',         'Glasgow', 'G22', 'S12000049', 55.9000, -4.2450, 1, '0141', false),
    ('Dennistoun',     'Glasgow', 'G31', 'S12000049', 55.8610, -4.2100, 2, '0141', false),
    ('Parkhead',       'Glasgow', 'G31', 'S12000049', 55.8520, -4.1960, 2, '0141', false),
    ('Shettleston',    'Glasgow', 'G32', 'S12000049', 55.8520, -4.1600, 2, '0141', false),
    ('Tollcross',      'Glasgow', 'G32', 'S12000049', 55.8460, -4.1780, 1, '0141', false),
    ('Carntyne',       'Glasgow', 'G32', 'S12000049', 55.8620, -4.1770, 1, '0141', false),
    ('Riddrie',        'Glasgow', 'G33', 'S12000049', 55.8680, -4.1870, 1, '0141', false),
    ('Cranhill',       'Glasgow', 'G33', 'S12000049', 55.8640, -4.1570, 1, '0141', false),
    ('Garthamlock',    'Glasgow', 'G33', 'S12000049', 55.8740, -4.1350, 1, '0141', false),
    ('Easterhouse',    'Glasgow', 'G34', 'S12000049', 55.8720, -4.1080, 3, '0141', false),
    ('Baillieston',    'Glasgow', 'G69', 'S12000049', 55.8510, -4.1150, 1, '0141', false),
    ('Bridgeton',      'Glasgow', 'G40', 'S12000049', 55.8490, -4.2260, 2, '0141', false),
    ('Calton',         'Glasgow', 'G40', 'S12000049', 55.8540, -4.2340, 1, '0141', false),
    ('Gorbals',        'Glasgow', 'G5',  'S12000049', 55.8480, -4.2500, 2, '0141', false),
    ('Pollokshields',  'Glasgow', 'G41', 'S12000049', 55.8420, -4.2800, 1, '0141', false),
    ('Shawlands',      'Glasgow', 'G41', 'S12000049', 55.8300, -4.2880, 1, '0141', false),
    ('Govanhill',      'Glasgow', 'G42', 'S12000049', 55.8370, -4.2580, 2, '0141', false),
    ('Toryglen',       'Glasgow', 'G42', 'S12000049', 55.8290, -4.2380, 1, '0141', false),
    ('Cathcart',       'Glasgow', 'G44', 'S12000049', 55.8180, -4.2600, 1, '0141', false),
    ('Castlemilk',     'Glasgow', 'G45', 'S12000049', 55.8090, -4.2250, 3, '0141', false),
    ('Arden',          'Glasgow', 'G46', 'S12000049', 55.8060, -4.3250, 1, '0141', false),
    ('Govan',          'Glasgow', 'G51', 'S12000049', 55.8620, -4.3120, 3, '0141', false),
    ('Ibrox',          'Glasgow', 'G51', 'S12000049', 55.8540, -4.3060, 1, '0141', false),
    ('Cardonald',      'Glasgow', 'G52', 'S12000049', 55.8480, -4.3370, 1, '0141', false),
    ('Penilee',        'Glasgow', 'G52', 'S12000049', 55.8440, -4.3550, 1, '0141', false),
    ('Pollok',         'Glasgow', 'G53', 'S12000049', 55.8250, -4.3450, 2, '0141', false),
    ('Priesthill',     'Glasgow', 'G53', 'S12000049', 55.8150, -4.3420, 1, '0141', false),
    ('Nitshill',       'Glasgow', 'G53', 'S12000049', 55.8120, -4.3600, 1, '0141', false),
    -- West Dunbartonshire
    ('Clydebank',      'Clydebank',  'G81', 'S12000039', 55.9010, -4.4030, 3, '0141', true),
    ('Dalmuir',        'Clydebank',  'G81', 'S12000039', 55.9120, -4.4250, 1, '0141', false),
    ('Duntocher',      'Clydebank',  'G81', 'S12000039', 55.9250, -4.4150, 1, '0141', false),
    ('Old Kilpatrick', 'Glasgow',    'G60', 'S12000039', 55.9250, -4.4550, 1, '01389', false),
    ('Dumbarton',      'Dumbarton',  'G82', 'S12000039', 55.9440, -4.5700, 2, '01389', false),
    ('Alexandria',     'Alexandria', 'G83', 'S12000039', 55.9870, -4.5850, 1, '01389', false),
    -- East Dunbartonshire
    ('Bearsden',       'Bearsden',      'G61', 'S12000045', 55.9180, -4.3330, 2, '0141', false),
    ('Milngavie',      'Milngavie',     'G62', 'S12000045', 55.9420, -4.3150, 1, '0141', false),
    ('Bishopbriggs',   'Bishopbriggs',  'G64', 'S12000045', 55.9060, -4.2250, 1, '0141', false),
    ('Kirkintilloch',  'Kirkintilloch', 'G66', 'S12000045', 55.9390, -4.1540, 2, '0141', false),
    ('Lenzie',         'Lenzie',        'G66', 'S12000045', 55.9220, -4.1560, 1, '0141', false),
    ('Lennoxtown',     'Lennoxtown',    'G66', 'S12000045', 55.9740, -4.2020, 1, '01360', false),
    ('Twechar',        'Kilsyth',       'G65', 'S12000045', 55.9540, -4.0780, 1, '01236', false),
    -- East Renfrewshire
    ('Barrhead',       'Barrhead',      'G78', 'S12000011', 55.8000, -4.3920, 2, '0141', false),
    ('Neilston',       'Neilston',      'G78', 'S12000011', 55.7840, -4.4270, 1, '0141', false),
    ('Giffnock',       'Giffnock',      'G46', 'S12000011', 55.8040, -4.2920, 1, '0141', false),
    ('Thornliebank',   'Thornliebank',  'G46', 'S12000011', 55.8070, -4.3100, 1, '0141', false),
    ('Clarkston',      'Clarkston',     'G76', 'S12000011', 55.7880, -4.2740, 1, '0141', false),
    ('Busby',          'Busby',         'G76', 'S12000011', 55.7800, -4.2650, 1, '0141', false),
    ('Newton Mearns',  'Newton Mearns', 'G77', 'S12000011', 55.7730, -4.3350, 1, '0141', false),
    ('Eaglesham',      'Eaglesham',     'G76', 'S12000011', 55.7390, -4.2730, 1, '01355', false),
    -- Renfrewshire (its G postcodes; Paisley is PA, not in the postcode file)
    ('Hillington',     'Glasgow',       'G52', 'S12000038', 55.8540, -4.3650, 1, '0141', false),
    -- Fife
    ('Kirkcaldy',      'Kirkcaldy',     'KY1',  'S12000047', 56.1100, -3.1600, 4, '01592', true),
    ('Linktown',       'Kirkcaldy',     'KY1',  'S12000047', 56.0990, -3.1650, 1, '01592', false),
    ('Gallatown',      'Kirkcaldy',     'KY1',  'S12000047', 56.1270, -3.1450, 1, '01592', false),
    ('Dysart',         'Kirkcaldy',     'KY1',  'S12000047', 56.1260, -3.1230, 1, '01592', false),
    ('Thornton',       'Kirkcaldy',     'KY1',  'S12000047', 56.1640, -3.1500, 1, '01592', false),
    ('Templehall',     'Kirkcaldy',     'KY2',  'S12000047', 56.1250, -3.1900, 2, '01592', false),
    ('Burntisland',    'Burntisland',   'KY3',  'S12000047', 56.0600, -3.2330, 1, '01592', false),
    ('Kinghorn',       'Kinghorn',      'KY3',  'S12000047', 56.0700, -3.1740, 1, '01592', false),
    ('Aberdour',       'Burntisland',   'KY3',  'S12000047', 56.0550, -3.2990, 1, '01383', false),
    ('Cowdenbeath',    'Cowdenbeath',   'KY4',  'S12000047', 56.1110, -3.3440, 2, '01383', false),
    ('Kelty',          'Kelty',         'KY4',  'S12000047', 56.1330, -3.3850, 1, '01383', false),
    ('Crossgates',     'Cowdenbeath',   'KY4',  'S12000047', 56.0880, -3.3600, 1, '01383', false),
    ('Lochgelly',      'Lochgelly',     'KY5',  'S12000047', 56.1350, -3.3110, 2, '01592', false),
    ('Cardenden',      'Lochgelly',     'KY5',  'S12000047', 56.1400, -3.2600, 1, '01592', false),
    ('Ballingry',      'Lochgelly',     'KY5',  'S12000047', 56.1620, -3.3280, 1, '01592', false),
    ('Kinglassie',     'Lochgelly',     'KY5',  'S12000047', 56.1730, -3.2420, 1, '01592', false),
    ('Leslie',         'Glenrothes',    'KY6',  'S12000047', 56.2030, -3.2160, 2, '01592', false),
    ('Glenrothes',     'Glenrothes',    'KY7',  'S12000047', 56.1960, -3.1750, 4, '01592', true),
    ('Markinch',       'Glenrothes',    'KY7',  'S12000047', 56.2030, -3.1310, 1, '01592', false),
    ('Leven',          'Leven',         'KY8',  'S12000047', 56.1950, -2.9950, 2, '01333', false),
    ('Methil',         'Leven',         'KY8',  'S12000047', 56.1840, -3.0220, 2, '01333', false),
    ('Buckhaven',      'Leven',         'KY8',  'S12000047', 56.1730, -3.0380, 1, '01592', false),
    ('Kennoway',       'Leven',         'KY8',  'S12000047', 56.2120, -3.0480, 1, '01333', false),
    ('Lundin Links',   'Leven',         'KY8',  'S12000047', 56.2130, -2.9530, 1, '01333', false),
    ('Elie',           'Leven',         'KY9',  'S12000047', 56.1890, -2.8210, 1, '01333', false),
    ('Colinsburgh',    'Leven',         'KY9',  'S12000047', 56.2210, -2.8560, 1, '01333', false),
    ('Anstruther',     'Anstruther',    'KY10', 'S12000047', 56.2230, -2.7020, 2, '01333', false),
    ('Pittenweem',     'Anstruther',    'KY10', 'S12000047', 56.2130, -2.7300, 1, '01333', false),
    ('St Monans',      'Anstruther',    'KY10', 'S12000047', 56.2030, -2.7660, 1, '01333', false),
    ('Crail',          'Anstruther',    'KY10', 'S12000047', 56.2590, -2.6290, 1, '01333', false),
    ('Abbeyview',      'Dunfermline',   'KY11', 'S12000047', 56.0660, -3.4480, 1, '01383', false),
    ('Rosyth',         'Dunfermline',   'KY11', 'S12000047', 56.0460, -3.4300, 2, '01383', false),
    ('Inverkeithing',  'Inverkeithing', 'KY11', 'S12000047', 56.0320, -3.3960, 1, '01383', false),
    ('Dalgety Bay',    'Dunfermline',   'KY11', 'S12000047', 56.0410, -3.3550, 1, '01383', false),
    ('Dunfermline',    'Dunfermline',   'KY12', 'S12000047', 56.0720, -3.4600, 4, '01383', true),
    ('Townhill',       'Dunfermline',   'KY12', 'S12000047', 56.0870, -3.4400, 1, '01383', false),
    ('Oakley',         'Dunfermline',   'KY12', 'S12000047', 56.0870, -3.5650, 1, '01383', false),
    ('High Valleyfield', 'Dunfermline', 'KY12', 'S12000047', 56.0640, -3.5930, 1, '01383', false),
    ('Saline',         'Dunfermline',   'KY12', 'S12000047', 56.1140, -3.5790, 1, '01383', false),
    ('Auchtermuchty',  'Cupar',         'KY14', 'S12000047', 56.2920, -3.2340, 1, '01337', false),
    ('Newburgh',       'Cupar',         'KY14', 'S12000047', 56.3500, -3.2400, 1, '01337', false),
    ('Cupar',          'Cupar',         'KY15', 'S12000047', 56.3200, -3.0100, 2, '01334', false),
    ('Ladybank',       'Cupar',         'KY15', 'S12000047', 56.2760, -3.1340, 1, '01337', false),
    ('Falkland',       'Cupar',         'KY15', 'S12000047', 56.2530, -3.2060, 1, '01337', false),
    ('St Andrews',     'St Andrews',    'KY16', 'S12000047', 56.3400, -2.7960, 2, '01334', false),
    ('Leuchars',       'St Andrews',    'KY16', 'S12000047', 56.3800, -2.8820, 1, '01334', false),
    ('Guardbridge',    'St Andrews',    'KY16', 'S12000047', 56.3620, -2.8960, 1, '01334', false);

UPDATE demo_place SET board_id = CASE WHEN district LIKE 'KY%' THEN 2 ELSE 1 END;

-- Up to 25 real postcodes per place: the nearest to the place's centre in
-- its district and council area (and, for "deprived", in SIMD deciles 1-2).
CREATE TEMP TABLE demo_pool ON COMMIT DROP AS
SELECT pl.id AS place_id, false AS deprived,
       row_number() OVER (PARTITION BY pl.id ORDER BY c.d, c.postcode) AS k,
       c.postcode, c.lat, c.lon, c.council_code
  FROM demo_place pl
  CROSS JOIN LATERAL (
        SELECT p.postcode, p.lat, p.lon, p.council_code,
               distance_km(pl.lat, pl.lon, p.lat, p.lon) AS d
          FROM postcode p
          JOIN board b ON b.code = p.board_code
         WHERE p.district = pl.district AND p.council_code = pl.council_code
         ORDER BY 5, 1
         LIMIT 25) c
UNION ALL
SELECT pl.id, true,
       row_number() OVER (PARTITION BY pl.id ORDER BY c.d, c.postcode),
       c.postcode, c.lat, c.lon, c.council_code
  FROM demo_place pl
  CROSS JOIN LATERAL (
        SELECT p.postcode, p.lat, p.lon, p.council_code,
               distance_km(pl.lat, pl.lon, p.lat, p.lon) AS d
          FROM postcode p
          JOIN board b ON b.code = p.board_code
          JOIN data_zone dz ON dz.code = p.data_zone
         WHERE p.district = pl.district AND p.council_code = pl.council_code
           AND dz.simd_decile <= 2
         ORDER BY 5, 1
         LIMIT 15) c;
CREATE INDEX ON demo_pool (place_id, deprived, k);
ANALYZE demo_place;
ANALYZE demo_pool;

CREATE TEMP TABLE demo_pool_size ON COMMIT DROP AS
SELECT pl.id AS place_id,
       count(*) FILTER (WHERE NOT p.deprived) AS n,
       count(*) FILTER (WHERE p.deprived) AS n_deprived
  FROM demo_place pl LEFT JOIN demo_pool p ON p.place_id = pl.id
 GROUP BY pl.id;

DO $$
DECLARE
    bad text;
BEGIN
    SELECT string_agg(pl.name, ', ') INTO bad
      FROM demo_place pl JOIN demo_pool_size s ON s.place_id = pl.id
     WHERE s.n = 0;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'demo data: no postcode found for %', bad;
    END IF;
END $$;

-- Other places of the same board within 4 km, for services that meet in
-- two or three places.
CREATE TEMP TABLE demo_neighbour ON COMMIT DROP AS
SELECT a.id AS place_id,
       coalesce(array_agg(b.id ORDER BY b.id) FILTER (WHERE b.id IS NOT NULL), ARRAY[a.id]) AS ids
  FROM demo_place a
  LEFT JOIN demo_place b ON b.board_id = a.board_id AND b.id <> a.id AND b.weight > 0
                        AND distance_km(a.lat, a.lon, b.lat, b.lon) <= 4
 GROUP BY a.id;

------------------------------------------------------------------------
-- Kinds of service. In names and descriptions: {p} place, {v} venue,
-- {d} day, {t} times ("10am to 12 noon"), {s} start time, {c} council area, {b} short board area name
-- ("Glasgow", "Fife"), {B} long board area name. cats: category slugs, the
-- first always used, the second usually, the third sometimes. fee_p: the
-- chance that a service of this kind charges.
CREATE TEMP TABLE demo_kind (
    id      serial PRIMARY KEY,
    key     text NOT NULL UNIQUE,
    scope   text NOT NULL,
    weight  integer NOT NULL,
    fee_p   float8 NOT NULL,
    names   text[] NOT NULL,
    org     text NOT NULL,
    cats    text[] NOT NULL,
    descs   text[] NOT NULL,
    fees    text[] NOT NULL,
    elig    text NOT NULL
) ON COMMIT DROP;

INSERT INTO demo_kind (key, scope, weight, fee_p, names, org, cats, descs, fees, elig) VALUES
('walk', 'local', 8, 0.0,
 ARRAY['{p} Health Walk', '{p} Walking Group', '{p} Strollers', '{p} Wellbeing Walk', '{p} Buggy Walk'],
 '{p} Walking Network',
 ARRAY['exercise-get-fit', 'outdoor-pursuits', 'social-group'],
 ARRAY['Free, friendly led walks of 30 to 60 minutes at an easy pace around {p}, with trained volunteer walk leaders. Walks leave from {v} every {d} at {s}. No need to book: just turn up in comfortable shoes.',
       'A sociable walking group for people who want to get a bit more active, with short and longer routes around {p} and a cuppa at the end. Meets {d}s at {s} outside {v}. Walking is a great way to feel better, meet people and explore your area.'],
 ARRAY['Free'], 'Adults of any fitness level; most routes are step-free'),
('walkfoot', 'local', 2, 0.9,
 ARRAY['{p} Walking Football', '{p} Walking Netball'],
 '{p} Community Sports Club',
 ARRAY['sports-games', 'exercise-get-fit', 'mens-health'],
 ARRAY['Walking football and netball for over-50s and anyone getting back into exercise after illness: no running, no contact, lots of laughs. {d}s at {s}, {v}.'],
 ARRAY['£2 per session', '£3 per session', '£2.50 per session, first session free'], 'Adults aged 50 and over, or referred by a health professional'),
('foodbank', 'local', 5, 0.0,
 ARRAY['{p} Foodbank', '{p} Emergency Food Project', '{p} Food Share'],
 '{p} Foodbank',
 ARRAY['foodbank', 'food-delivery', 'money-advice'],
 ARRAY['Emergency food parcels (three days of nutritionally balanced food) for people in crisis in {p}. Bring a foodbank voucher from your GP practice, Community Links Worker, Citizens Advice or social work, or we can help you get one. Open {d}s {t} at {v}, with money and debt advice on site.',
       'Free emergency food, toiletries and fuel top-ups for individuals and families who cannot afford to buy food, with home delivery for people who cannot get out. {d}s {t}, {v}, {p}.'],
 ARRAY['Free'], 'Anyone in crisis; a referral voucher helps but is not essential'),
('pantry', 'local', 3, 0.9,
 ARRAY['{p} Community Pantry', '{p} Food Pantry', '{p} Community Larder'],
 '{p} Community Food Network',
 ARRAY['food-nutrition', 'healthy-eating', 'home-goods'],
 ARRAY['A membership food pantry for people living in {p}: members pay a small weekly fee and choose fresh, chilled and cupboard food worth several times as much. Cuts food waste and stretches tight budgets. {d}s {t}, {v}.'],
 ARRAY['£3.50 per week membership', '£2.50 per visit', '£4 per week'], 'People living in {c}; no referral needed'),
('meal', 'local', 2, 0.0,
 ARRAY['{p} Community Meal', '{p} Community Supper', '{p} Free Community Lunch'],
 '{p} Community Kitchen',
 ARRAY['free-meals', 'community-cafe', 'social-group'],
 ARRAY['A free hot two-course meal and good company every {d} at {s} in {v}. Everyone welcome, no questions asked; food to take home when available.'],
 ARRAY['Free'], 'Everyone welcome'),
('debt', 'local', 5, 0.0,
 ARRAY['{p} Money Advice Project', '{p} Debt Advice Drop-in', '{p} Money Matters'],
 '{p} Money Advice Centre',
 ARRAY['money-advice', 'money', 'independent-advocacy'],
 ARRAY['Free, confidential and impartial debt advice from accredited money advisers in {p}: rent and council tax arrears, energy debt, dealing with creditors and sheriff officers, bankruptcy (sequestration) and the Debt Arrangement Scheme. Drop in {d}s {t} at {v} or phone for an appointment.',
       'Worried about money or debt? Our advisers help you draw up a budget, check you are getting every benefit you are entitled to and deal with your creditors. Appointments {d}s at {v}, {p}, or by phone.'],
 ARRAY['Free'], 'Anyone living in {c}'),
('welfare', 'local', 3, 0.0,
 ARRAY['{p} Welfare Rights Service', '{p} Benefits Advice Surgery'],
 '{p} Advice Centre',
 ARRAY['money-advice', 'independent-advocacy', 'money'],
 ARRAY['Help to check which benefits you are entitled to and to claim them: Universal Credit, Adult Disability Payment, Pension Credit, Scottish Child Payment and more, with representation at reviews and appeals. {d}s {t} at {v}, {p}.'],
 ARRAY['Free'], 'Anyone living in {c}'),
('carers', 'local', 4, 0.0,
 ARRAY['{p} Carers'' Centre', '{p} Carers Support Group', '{p} Young Carers Group'],
 '{p} Carers'' Network',
 ARRAY['support-group', 'respite', 'short-breaks'],
 ARRAY['Information, emotional support and short breaks for unpaid carers looking after a family member or friend in {p}: help with an Adult Carer Support Plan, carers'' rights and benefits, and a monthly carers'' café. {d}s {t} at {v}.'],
 ARRAY['Free'], 'Unpaid carers of any age'),
('mhpeer', 'local', 5, 0.0,
 ARRAY['{p} Peer Support Group', '{p} Mental Health Peer Support', '{p} Anxiety and Depression Support Group', '{p} Wellbeing Café'],
 '{p} Mental Health Network',
 ARRAY['peer-support', 'mental-health', 'anxiety', 'depression'],
 ARRAY['A welcoming peer support group run by people with lived experience of mental ill health. Share experiences, learn coping skills and meet people who understand, at {v} every {d}, {t}. This is not a crisis service.'],
 ARRAY['Free'], 'Adults 18+ living with anxiety, low mood or other mental health problems'),
('lunch', 'local', 4, 0.85,
 ARRAY['{p} Lunch Club', '{p} Over-60s Lunch Club', '{p} Friendship Lunch'],
 '{p} Older People''s Project',
 ARRAY['lunch-club', 'social-group', 'befriending'],
 ARRAY['A weekly lunch club for older people in {p}: a home-cooked two-course lunch, tea and a blether, with outings and entertainment. {d}s at {s}, {v}. Transport can be arranged for people who find it hard to get out.'],
 ARRAY['£3.50 for a two-course lunch', '£4 per lunch', '£3 per session'], 'Older people (60+) living locally'),
('shed', 'local', 3, 0.6,
 ARRAY['{p} Men''s Shed', '{p} Community Shed'],
 '{p} Men''s Shed',
 ARRAY['social-group', 'mens-health', 'arts-crafts'],
 ARRAY['A community workshop where people, mostly but not only men, meet to share skills, make and mend things, and have a cuppa and a chat. Woodwork, repairs and projects for the community. Open {d}s {t} at {v}.'],
 ARRAY['£10 a year membership', '£1 per visit, tea included'], 'Adults 18+; everyone welcome'),
('befriend', 'local', 4, 0.0,
 ARRAY['{p} Befriending Service', '{p} Telephone Befriending', '{p} Befrienders'],
 '{p} Befriending Project',
 ARRAY['befriending', 'home-visiting', 'social-group'],
 ARRAY['Volunteer befrienders visit or phone older and isolated people in {p} every week for a chat, a walk or a trip out. Self-referral, or referral by a GP practice or Community Links Worker. The co-ordinator is at {v} on {d}s.'],
 ARRAY['Free'], 'Adults who feel lonely or isolated'),
('employ', 'local', 4, 0.0,
 ARRAY['{p} Employability Hub', '{p} Jobs Club', '{p} Into Work Project'],
 '{p} Employability Partnership',
 ARRAY['employability', 'work-preparation', 'skills-training'],
 ARRAY['One-to-one support into work, training or volunteering: CVs, applications, interview practice, confidence building and better-off-in-work calculations. Drop in {d}s {t} at {v}, {p}.'],
 ARRAY['Free'], 'People aged 16+ who are out of work or on a low income'),
('housing', 'local', 3, 0.0,
 ARRAY['{p} Housing Advice Drop-in', '{p} Tenancy Support Service'],
 '{p} Housing Advice Centre',
 ARRAY['housing-advice', 'housing-support', 'social-housing'],
 ARRAY['Free advice on homelessness, repairs, rent arrears and tenancy rights, and support to set up and keep a home. Drop in to {v}, {p}, {d}s {t}.'],
 ARRAY['Free'], 'Tenants, home owners and people at risk of homelessness'),
('recovery', 'local', 3, 0.0,
 ARRAY['{p} Recovery Café', '{p} Recovery Community Hub', '{p} Mutual Aid Recovery Group'],
 '{p} Recovery Community',
 ARRAY['alcohol-addiction', 'drug-addiction', 'peer-support'],
 ARRAY['A safe, substance-free space for people in or seeking recovery from alcohol or drug use, and for their families: peer support, recovery meetings, activities and a hot meal. {d}s {t} at {v}.'],
 ARRAY['Free'], 'Adults affected by alcohol or drugs, and their families'),
('toddler', 'local', 4, 0.6,
 ARRAY['{p} Parent and Toddler Group', '{p} Stay and Play', '{p} Baby and Toddler Rhyme Time'],
 '{p} Family Centre',
 ARRAY['parent-toddler-group', 'early-years', 'play'],
 ARRAY['A drop-in play session for parents and carers with children from birth to five: toys, songs, snacks and a chance to meet other families in {p}. {d}s {t} at {v}.'],
 ARRAY['£1.50 per family', '£1 per child', '£2 per session including snack'], 'Parents and carers with children under 5'),
('art', 'local', 3, 0.55,
 ARRAY['{p} Art Group', '{p} Creative Wellbeing Group', '{p} Craft and Chat'],
 '{p} Community Arts',
 ARRAY['arts-crafts', 'creative-cultural-activity', 'social-group'],
 ARRAY['A relaxed art and craft group for adults of all abilities: drawing, painting, textiles and seasonal projects, with all materials provided. Good for wellbeing and for meeting people. {d}s {t} at {v}.'],
 ARRAY['£3 per session, materials included', '£2 per session', '£5 per session'], 'Adults 18+; no experience needed'),
('garden', 'local', 3, 0.15,
 ARRAY['{p} Community Garden', '{p} Growing Space', '{p} Green Gym'],
 '{p} Community Growers',
 ARRAY['community-garden', 'outdoor-pursuits', 'healthy-eating'],
 ARRAY['A volunteer-run community growing space in {p}: grow fruit and vegetables, learn gardening skills and take home what you grow. Tools, gloves and tea provided. {d}s {t}, meet at {v}.'],
 ARRAY['£5 a year membership'], 'Everyone welcome; accessible raised beds'),
('exercise', 'local', 5, 0.55,
 ARRAY['{p} Chair-based Exercise', '{p} Strength and Balance Class', '{p} Gentle Exercise Class', '{p} Keep Fit for Over-50s'],
 '{p} Active Communities',
 ARRAY['exercise-get-fit', 'physical-activity', 'self-management'],
 ARRAY['A gentle exercise class led by a qualified instructor, suitable for people with long-term conditions, after a fall, or who have not exercised for a while. Seated and standing options. {d}s at {s}, {v}.'],
 ARRAY['£2.50 per class', '£3 per session', '£2 per class, first four weeks free'], 'Adults; check with your GP practice if you have a heart condition'),
('digital', 'local', 3, 0.05,
 ARRAY['{p} Digital Drop-in', '{p} Get Online Sessions', '{p} Tablet and Smartphone Help'],
 '{p} Digital Inclusion Project',
 ARRAY['digital-literacy', 'computer-class', 'lifelong-learning'],
 ARRAY['Friendly one-to-one help to get online: using a smartphone or tablet, email, video calls, online banking, benefit claims and GP appointments. Devices and data can be loaned. {d}s {t} at {v}.'],
 ARRAY['£1 per session'], 'Adults of any age'),
('esol', 'local', 3, 0.0,
 ARRAY['{p} English Conversation Class', '{p} ESOL Class', '{p} English for Speakers of Other Languages'],
 '{p} Adult Learning Centre',
 ARRAY['foreign-languages', 'adult-literacy-numeracy', 'citizenship-immigration'],
 ARRAY['Free English classes (ESOL) for adults whose first language is not English, from beginners to intermediate, with a crèche. Also help with forms and settling in {p}. {d}s {t}, {v}.'],
 ARRAY['Free'], 'Adults whose first language is not English, including refugees and asylum seekers'),
('bereave', 'local', 2, 0.0,
 ARRAY['{p} Bereavement Support Group', '{p} Bereavement Café'],
 '{p} Bereavement Support',
 ARRAY['bereavement', 'support-group', 'counselling'],
 ARRAY['Support for anyone who has lost someone close: a monthly bereavement café and one-to-one support from trained volunteers. {d}s {t} at {v}.'],
 ARRAY['Free'], 'Adults who have been bereaved'),
('cafe', 'local', 3, 0.4,
 ARRAY['{p} Community Café', '{p} Blether Café', '{p} Warm Space Café'],
 '{p} Community Café',
 ARRAY['community-cafe', 'social-group', 'free-meals'],
 ARRAY['A community café and warm space in {p}: low-cost food, free tea and coffee, papers, Wi-Fi and friendly faces. Open {d}s {t} at {v}.'],
 ARRAY['Soup and a roll £1.50', 'Pay what you can, from 50p'], 'Everyone welcome'),
('energy', 'local', 2, 0.0,
 ARRAY['{p} Energy Advice Surgery', '{p} Home Energy Help'],
 '{p} Energy Advice Project',
 ARRAY['energy-advice', 'money-advice'],
 ARRAY['Help with fuel bills and energy debt, tariffs, prepayment meters, and grants for insulation and heating, from trained energy advisers. {d}s {t} at {v}, {p}.'],
 ARRAY['Free'], 'Households in {c}'),
('dementia', 'local', 2, 0.0,
 ARRAY['{p} Dementia Café', '{p} Memory Café'],
 '{p} Dementia Friendly Community',
 ARRAY['dementia', 'support-group', 'social-group'],
 ARRAY['A monthly café for people living with dementia and the people who care for them: music, reminiscence, information and support in a relaxed setting. {d}s {t}, {v}.'],
 ARRAY['Free'], 'People living with dementia and their carers'),
('choir', 'local', 2, 0.6,
 ARRAY['{p} Community Choir', '{p} Singing for Lung Health', '{p} Singing for Wellbeing'],
 '{p} Community Music',
 ARRAY['music', 'lung-disease', 'social-group'],
 ARRAY['Sing for fun and for your breathing: a friendly, no-audition choir in {p}. Songs are taught by ear, so there is no need to read music. {d}s at {s}, {v}.'],
 ARRAY['£3 per session', '£20 per term'], 'Adults 18+'),
('youth', 'local', 2, 0.3,
 ARRAY['{p} Youth Club', '{p} Youth Project'],
 '{p} Youth Project',
 ARRAY['youth-group', 'play', 'mentoring'],
 ARRAY['A drop-in youth club for young people aged 11 to 18 in {p}: sport, games, cooking, trips, and a youth worker to talk to. {d}s {t}, {v}.'],
 ARRAY['50p per night', '£1 per session'], 'Young people aged 11 to 18'),
('babybank', 'local', 1, 0.0,
 ARRAY['{p} Baby Bank', '{p} Clothing Bank', '{p} School Uniform Bank'],
 '{p} Baby Bank',
 ARRAY['baby-supplies', 'clothing', 'home-goods'],
 ARRAY['Free baby equipment, clothing, nappies and school uniforms for families who need them, by referral from a health visitor, social worker or links worker, or self-referral. {d}s {t} at {v}.'],
 ARRAY['Free'], 'Families with children living in {c}'),
('counselling', 'local', 2, 0.65,
 ARRAY['{p} Counselling Service', '{p} Low-cost Counselling'],
 '{p} Counselling Centre',
 ARRAY['counselling', 'therapy', 'mental-health'],
 ARRAY['Short-term talking therapy with qualified counsellors for anxiety, low mood, stress, relationship difficulties and loss. Appointments {d}s at {v}, {p}; the wait is usually four to six weeks.'],
 ARRAY['£5 to £25 per session depending on income', '£10 per session'], 'Adults 18+'),
('transport', 'local', 1, 0.9,
 ARRAY['{p} Community Transport', '{p} Dial-a-Bus'],
 '{p} Community Transport Association',
 ARRAY['community-transport', 'dial-bus', 'mobility-aids'],
 ARRAY['A door-to-door accessible minibus for people who find public transport hard to use: shopping, appointments and social outings in and around {p}. Book by phone, {d}s {t}.'],
 ARRAY['£2 single journey', '£3 return', '£15 a year membership plus £1.50 per trip'], 'People with mobility difficulties or no access to transport'),
('cook', 'local', 2, 0.15,
 ARRAY['{p} Cook and Eat', '{p} Cooking on a Budget'],
 '{p} Community Food Project',
 ARRAY['cookery-class', 'healthy-eating', 'food-nutrition'],
 ARRAY['A six-week practical course in cooking tasty, healthy food on a budget; you eat what you make and take the recipes and ingredients home. {d}s {t} at {v}.'],
 ARRAY['£1 per session'], 'Adults and families'),
('conditions', 'local', 2, 0.0,
 ARRAY['{p} Stroke Support Group', '{p} Heart and Lung Support Group', '{p} Long-term Conditions Support Group'],
 '{p} Health Support Groups',
 ARRAY['self-management', 'stroke', 'cardiac-disease'],
 ARRAY['A peer support group for people living with stroke, heart or lung conditions and their families: gentle exercise, talks and practical tips for managing your condition. {d}s {t} at {v}.'],
 ARRAY['Free'], 'People with a long-term condition and their families'),
('taichi', 'local', 2, 0.85,
 ARRAY['{p} Tai Chi for Health', '{p} Yoga for Wellbeing', '{p} Pilates for Beginners'],
 '{p} Wellbeing Classes',
 ARRAY['exercise-get-fit', 'complementary-therapies', 'self-management'],
 ARRAY['A slow, gentle class for balance, flexibility and relaxation, suitable for beginners and people with long-term conditions. {d}s at {s}, {v}.'],
 ARRAY['£4 per class', '£5 per class', '£3 per class'], 'Adults of any age'),
('advocacy', 'local', 1, 0.0,
 ARRAY['{p} Independent Advocacy', '{p} Advocacy Project'],
 '{p} Advocacy Project',
 ARRAY['independent-advocacy', 'rights-representation', 'mental-health'],
 ARRAY['Independent advocacy for adults who find it hard to have their voice heard, including people with mental ill health, a learning disability or dementia: support at meetings, tribunals and care reviews. Appointments at {v}, {p}.'],
 ARRAY['Free'], 'Adults living in {c}'),
('furniture', 'local', 1, 0.5,
 ARRAY['{p} Furniture Reuse Project', '{p} Starter Packs'],
 '{p} Reuse Project',
 ARRAY['home-goods', 'housing-support', 'clothing'],
 ARRAY['Low-cost and free furniture, white goods and starter packs (bedding, pots and pans) for people setting up home, including after homelessness. Delivery available. Showroom open {d}s {t} at {v}.'],
 ARRAY['Items from £5; starter packs free with a referral'], 'Anyone setting up home; free items need a referral'),
('family', 'local', 2, 0.0,
 ARRAY['{p} Family Support Project', '{p} Parenting Group'],
 '{p} Family Support',
 ARRAY['parent-family-support', 'parenting-education', 'children-families'],
 ARRAY['Practical and emotional support for families under pressure: home visits, a parenting group and help with money, housing and school. {d}s {t} at {v}, {p}.'],
 ARRAY['Free'], 'Families with children under 16'),
('ld', 'local', 1, 0.4,
 ARRAY['{p} Learning Disability Social Club', '{p} Autism Social Group'],
 '{p} Inclusion Project',
 ARRAY['learning-disability', 'social-group', 'autism'],
 ARRAY['A social club for adults with a learning disability or autism: games, music, outings and friendship, with support workers on hand. {d}s {t} at {v}.'],
 ARRAY['£2 per session'], 'Adults with a learning disability or autism'),
-- board-wide
('b_carers', 'board', 3, 0.0,
 ARRAY['{b}-wide Carers'' Helpline', '{B} Carers'' Advice Line'],
 '{B} Carers'' Network',
 ARRAY['helplines', 'respite', 'support-group'],
 ARRAY['A free phone and email advice line for unpaid carers anywhere in {B}: carers'' rights, benefits, short breaks and emotional support, and referral to your local carers'' centre. Monday to Friday 9am to 5pm.'],
 ARRAY['Free'], 'Unpaid carers living in {B}'),
('b_debt', 'board', 3, 0.0,
 ARRAY['{b}-wide Debt Advice Line', '{B} Money Advice Line'],
 '{B} Money Advice Partnership',
 ARRAY['money-advice', 'helplines', 'money'],
 ARRAY['Free, confidential debt advice by phone and video for anyone living in {B}: budgeting, arrears, creditors and statutory debt solutions. Monday to Friday 9am to 5pm, late opening on Thursdays.'],
 ARRAY['Free'], 'Anyone living in {B}'),
('b_befriend', 'board', 2, 0.0,
 ARRAY['{b} Telephone Befriending', '{B} Friendship Line'],
 '{B} Befriending Network',
 ARRAY['befriending', 'helplines', 'social-group'],
 ARRAY['A weekly friendly phone call from a trained volunteer for older people anywhere in {B} who feel lonely or cut off. Self-referral or referral by a GP practice or Community Links Worker.'],
 ARRAY['Free'], 'Adults aged 60+ living in {B}'),
('b_mh', 'board', 3, 0.0,
 ARRAY['{b} Mental Health Support Line', '{B} Distress Support Service'],
 '{B} Mental Health Association',
 ARRAY['mental-health', 'helplines', 'peer-support'],
 ARRAY['Compassionate support within 24 hours for people in distress who do not need emergency care, followed by up to two weeks of practical and emotional support. Referral by GP practices, A&E and police.'],
 ARRAY['Free'], 'Adults 16+ in {B}, by referral'),
('b_welfare', 'board', 2, 0.0,
 ARRAY['{B} Welfare Rights Service', '{b}-wide Benefits Advice'],
 '{B} Welfare Rights Partnership',
 ARRAY['money-advice', 'independent-advocacy'],
 ARRAY['Benefit checks, help with claims and representation at appeals for people anywhere in {B}, including outreach in GP practices.'],
 ARRAY['Free'], 'Anyone living in {B}'),
('b_housing', 'board', 2, 0.0,
 ARRAY['{b} Housing Options Line', '{B} Homelessness Advice'],
 '{B} Housing Advice Service',
 ARRAY['housing-advice', 'safe-housing'],
 ARRAY['Advice for anyone in {B} who is homeless or at risk of losing their home, including emergency accommodation out of hours.'],
 ARRAY['Free'], 'Anyone in {B}'),
('b_recovery', 'board', 2, 0.0,
 ARRAY['{B} Alcohol and Drug Recovery Service', '{b} Recovery Network'],
 '{B} Recovery Partnership',
 ARRAY['alcohol-addiction', 'drug-addiction', 'peer-support'],
 ARRAY['Assessment, treatment and recovery support for people affected by alcohol or drugs anywhere in {B}, with recovery cafés and peer workers across the area. Self-referral welcome.'],
 ARRAY['Free'], 'Adults 16+ in {B}'),
('b_employ', 'board', 2, 0.0,
 ARRAY['{b}-wide Employability Service', '{B} Health and Work Support'],
 '{B} Employability Partnership',
 ARRAY['employability', 'supported-employment'],
 ARRAY['Help to stay in or return to work for people with a health condition or disability anywhere in {B}: vocational rehabilitation, job search and in-work support.'],
 ARRAY['Free'], 'Adults of working age in {B}'),
('b_transport', 'board', 1, 0.9,
 ARRAY['{b}-wide Dial-a-Ride', '{B} Community Transport Service'],
 '{B} Community Transport',
 ARRAY['community-transport', 'dial-bus'],
 ARRAY['Accessible door-to-door transport anywhere in {B} for people who cannot use buses, for appointments, shopping and visiting. Book at least two days ahead.'],
 ARRAY['£2 per journey', '£4 return'], 'People with mobility difficulties in {B}'),
('b_interpret', 'board', 1, 0.0,
 ARRAY['{B} Community Interpreting Service'],
 '{B} Interpreting Service',
 ARRAY['translation-interpretation', 'citizenship-immigration'],
 ARRAY['Face-to-face and telephone interpreters in over 50 languages, including British Sign Language, for community and voluntary services in {B}.'],
 ARRAY['Free'], 'Organisations and residents in {B}'),
-- national
('n_mh', 'national', 3, 0.0,
 ARRAY['Scotland-wide Mental Health Listening Line', 'Scottish Listening Service'],
 'Scottish Listening Network',
 ARRAY['mental-health', 'helplines', 'depression'],
 ARRAY['Free, confidential listening support by phone and web chat for anyone in Scotland who is feeling low, anxious or overwhelmed. Open every evening 6pm to 2am. In an emergency call 999; when your GP practice is closed call NHS 24 on 111.'],
 ARRAY['Free'], 'Anyone in Scotland aged 16+'),
('n_money', 'national', 2, 0.0,
 ARRAY['Scottish Money Advice Helpline', 'Scotland Debt Advice Webchat'],
 'Scottish Money Advice Trust',
 ARRAY['money-advice', 'helplines'],
 ARRAY['Free, independent debt and money advice by phone and webchat for people anywhere in Scotland, and referral to a local money adviser when you need face-to-face help.'],
 ARRAY['Free'], 'Anyone in Scotland'),
('n_carers', 'national', 1, 0.0,
 ARRAY['Scotland Carers'' Advice Line'],
 'Scottish Carers'' Alliance',
 ARRAY['helplines', 'respite'],
 ARRAY['Advice on carers'' rights, Carer Support Payment and short breaks for unpaid carers anywhere in Scotland.'],
 ARRAY['Free'], 'Unpaid carers in Scotland'),
('n_bereave', 'national', 1, 0.0,
 ARRAY['Scottish Bereavement Helpline'],
 'Scottish Bereavement Network',
 ARRAY['bereavement', 'helplines'],
 ARRAY['Someone to talk to after a death, including after suicide, and information on practical matters such as registering a death and funeral costs.'],
 ARRAY['Free'], 'Anyone in Scotland who has been bereaved'),
('n_dementia', 'national', 1, 0.0,
 ARRAY['Scotland Dementia Helpline'],
 'Scottish Dementia Alliance',
 ARRAY['dementia', 'helplines'],
 ARRAY['A 24-hour freephone helpline for people living with dementia, their carers and professionals anywhere in Scotland.'],
 ARRAY['Free'], 'Anyone in Scotland'),
('n_gambling', 'national', 1, 0.0,
 ARRAY['Scottish Gambling Support Line'],
 'Scottish Gambling Support',
 ARRAY['gambling-addiction', 'helplines', 'counselling'],
 ARRAY['Confidential support and free counselling by phone and video for people affected by gambling harms, and for their families, anywhere in Scotland.'],
 ARRAY['Free'], 'Anyone in Scotland'),
('n_drugs', 'national', 1, 0.0,
 ARRAY['Scottish Alcohol and Drugs Helpline'],
 'Scottish Recovery Helpline',
 ARRAY['alcohol-addiction', 'drug-addiction', 'helplines'],
 ARRAY['Free, confidential information and support about alcohol and drugs, 24 hours a day, for anyone in Scotland, including family members.'],
 ARRAY['Free'], 'Anyone in Scotland'),
('n_lgbt', 'national', 1, 0.0,
 ARRAY['Scotland LGBT+ Support Line'],
 'Scottish LGBT+ Helpline',
 ARRAY['lgbt-health', 'helplines', 'peer-support'],
 ARRAY['Information and emotional support for lesbian, gay, bisexual, trans and questioning people and their families in Scotland, by phone and webchat on weekday evenings.'],
 ARRAY['Free'], 'Anyone in Scotland'),
('n_energy', 'national', 1, 0.0,
 ARRAY['Scottish Home Energy Advice Line'],
 'Scottish Energy Advice',
 ARRAY['energy-advice', 'helplines'],
 ARRAY['Free, impartial advice on saving energy, paying fuel bills and grants for heating and insulation for householders across Scotland.'],
 ARRAY['Free'], 'Householders in Scotland'),
('n_heart', 'national', 1, 0.0,
 ARRAY['Scottish Heart, Lung and Stroke Advice Line'],
 'Scottish Heart, Lung and Stroke Support',
 ARRAY['stroke', 'cardiac-disease', 'helplines'],
 ARRAY['Specialist nurses give confidential advice by phone, text and email to people living with heart, lung and stroke conditions and Long Covid anywhere in Scotland.'],
 ARRAY['Free'], 'Anyone in Scotland');

DO $$
DECLARE
    bad text;
BEGIN
    SELECT string_agg(DISTINCT s, ', ') INTO bad
      FROM demo_kind k, unnest(k.cats) s
     WHERE NOT EXISTS (SELECT 1 FROM category c WHERE c.slug = s);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'demo data: unknown category slug(s) %', bad;
    END IF;
END $$;

------------------------------------------------------------------------
-- Anchors: services 1..A, always present (with links.demo_services >= A).
-- name_no: which of the kind's names; fee: force free/paid; deprived: put
-- the first location in a SIMD decile 1-2 data zone; nloc: locations.
CREATE TEMP TABLE demo_anchor (
    i        serial PRIMARY KEY,
    place    text NOT NULL,
    kind     text NOT NULL,
    name_no  integer NOT NULL DEFAULT 1,
    fee      text,
    deprived boolean NOT NULL DEFAULT false,
    nloc     integer
) ON COMMIT DROP;

INSERT INTO demo_anchor (place, kind, name_no, fee, deprived, nloc) VALUES
    ('Hillhead',    'walk',      1, 'free', false, 1),    -- walking near G12 8QQ
    ('Partick',     'walk',      2, 'free', false, 2),
    ('Finnieston',  'walkfoot',  1, 'paid', false, 1),
    ('Govan',       'foodbank',  1, 'free', false, 1),    -- food near G51 1AA
    ('Ibrox',       'pantry',    1, 'paid', false, 1),
    ('Govan',       'meal',      1, 'free', false, 1),
    ('Govan',       'debt',      1, 'free', false, 1),
    ('Kirkcaldy',   'debt',      1, 'free', false, 1),    -- debt near KY1 1AB
    ('Linktown',    'welfare',   1, 'free', false, 1),
    ('Templehall',  'debt',      2, 'free', false, 1),
    ('Kirkcaldy',   'walk',      1, 'free', false, 1),    -- walking in KY
    ('Dunfermline', 'walk',      2, 'free', false, 1),
    ('St Andrews',  'walk',      1, 'free', false, 1),
    ('Glenrothes',  'walk',      3, 'free', false, 1),
    ('Leven',       'walk',      1, 'free', false, 3),
    ('Springburn',  'carers',    1, 'free', false, 1),    -- carers
    ('Kirkcaldy',   'carers',    2, 'free', false, 1),
    ('Clydebank',   'carers',    1, 'free', false, 1),
    ('Easterhouse', 'exercise',  1, 'free', true,  1),    -- free and paid, SIMD 1-2
    ('Easterhouse', 'exercise',  2, 'paid', true,  1),
    ('Castlemilk',  'art',       1, 'free', true,  1),
    ('Castlemilk',  'art',       2, 'paid', true,  1),
    ('Parkhead',    'mhpeer',    1, 'free', true,  1),
    ('Govanhill',   'esol',      1, 'free', true,  1),
    ('Drumchapel',  'lunch',     1, 'paid', false, 1),    -- either side of the city boundary
    ('Clydebank',   'lunch',     1, 'paid', false, 1),
    ('Bearsden',    'lunch',     2, 'paid', false, 1),
    ('Knightswood', 'walk',      1, 'free', false, 1),
    ('Bearsden',    'walk',      2, 'free', false, 1),
    ('Drumchapel',  'foodbank',  2, 'free', false, 1),
    ('Clydebank',   'foodbank',  1, 'free', false, 1),
    ('Shawlands',   'shed',      1, 'paid', false, 1),
    ('Giffnock',    'shed',      1, 'paid', false, 1),
    ('Glasgow',     'b_carers',  1, 'free', false, 1),    -- board-wide
    ('Kirkcaldy',   'b_debt',    1, 'free', false, 2),
    ('Glasgow',     'n_mh',      1, 'free', false, 1),    -- national
    ('Glasgow',     'n_money',   1, 'free', false, 0);

-- Weighted choice of the place of a local service: 1,000 slots, 60% for
-- places of Greater Glasgow and Clyde, 40% for Fife, each place taking a
-- share of its board's slots in proportion to its weight.
CREATE TEMP TABLE demo_local_slot ON COMMIT DROP AS
SELECT (row_number() OVER (ORDER BY p.id, g) - 1)::integer AS slot, p.id AS place_id
  FROM demo_place p
  JOIN (SELECT board_id, sum(weight) AS w FROM demo_place GROUP BY board_id) t USING (board_id),
       generate_series(1, round(p.weight * 1000.0 * CASE p.board_id WHEN 1 THEN 0.6 ELSE 0.4 END / t.w)::integer) g
 WHERE p.weight > 0;
ALTER TABLE demo_local_slot ADD PRIMARY KEY (slot);

-- Every place once, in order.
CREATE TEMP TABLE demo_every_place ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY id)::integer AS slot, id AS place_id
  FROM demo_place WHERE weight > 0;
ALTER TABLE demo_every_place ADD PRIMARY KEY (slot);

-- One-row table of small look-up arrays for other choices (kept under
-- 2 kB, so that it is not compressed: that would cost a decompression at
-- every look-up).
CREATE TEMP TABLE demo_pick ON COMMIT DROP AS
SELECT t.*,
       -- chances for the random services, so that about 3% of all services
       -- are national and 8% board-wide whatever their number
       greatest(0, least(0.5, (0.03 * t.n - t.n_anchor_national)
                              / greatest(1, t.n - t.n_anchor - t.n_place)))::float8 AS p_national,
       greatest(0, least(0.5, (0.08 * t.n - t.n_anchor_board)
                              / greatest(1, t.n - t.n_anchor - t.n_place)))::float8 AS p_board
  FROM (
SELECT (SELECT services FROM demo_setting) AS n,
       (SELECT count(*) FROM demo_anchor)::integer AS n_anchor,
       (SELECT count(*) FROM demo_anchor a JOIN demo_kind k ON k.key = a.kind
         WHERE k.scope = 'national')::integer AS n_anchor_national,
       (SELECT count(*) FROM demo_anchor a JOIN demo_kind k ON k.key = a.kind
         WHERE k.scope = 'board')::integer AS n_anchor_board,
       (SELECT count(*) FROM demo_every_place)::integer AS n_place,
       (SELECT count(*) FROM demo_local_slot)::integer AS n_local_slot,
       (SELECT array_agg(id ORDER BY id) FROM demo_place WHERE hub AND board_id = 1) AS hub_ggc,
       (SELECT array_agg(id ORDER BY id) FROM demo_place WHERE hub AND board_id = 2) AS hub_fife,
       (SELECT id FROM demo_place WHERE name = 'Glasgow') AS hub_national,
       (SELECT array_agg(k.id ORDER BY k.id, g) FROM demo_kind k, generate_series(1, k.weight) g
         WHERE k.scope = 'local') AS kind_local,
       (SELECT array_agg(k.id ORDER BY k.id, g) FROM demo_kind k, generate_series(1, k.weight) g
         WHERE k.scope = 'board') AS kind_board,
       (SELECT array_agg(k.id ORDER BY k.id, g) FROM demo_kind k, generate_series(1, k.weight) g
         WHERE k.scope = 'national') AS kind_national,
       ARRAY['Community Centre', 'Library', 'Parish Church Hall', 'Community Hall', 'Health Centre',
             'Leisure Centre', 'Family Centre', 'Community Hub', 'Neighbourhood Centre', 'Resource Centre'] AS venues,
       ARRAY['Resource Centre', 'Advice Centre', 'Business Centre', 'Voluntary Action Centre'] AS offices,
       ARRAY['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] AS days,
       ARRAY['MO', 'TU', 'WE', 'TH', 'FR', 'SA'] AS days_rfc5545,
       ARRAY['9.30am to 11am', '10am to 12 noon', '10.30am to 12.30pm', '11am to 1pm', '12 noon to 2pm',
             '1pm to 3pm', '2pm to 4pm', '6pm to 8pm', '7pm to 9pm'] AS times,
       -- the same times, for the schedule rows
       ARRAY['09:30', '10:00', '10:30', '11:00', '12:00', '13:00', '14:00', '18:00', '19:00'] AS opens,
       ARRAY['11:00', '12:00', '12:30', '13:00', '14:00', '15:00', '16:00', '20:00', '21:00'] AS closes) t;

------------------------------------------------------------------------
-- Random numbers: one row per service, drawn in order.
CREATE TEMP TABLE demo_rnd ON COMMIT DROP AS
SELECT i, random() AS r_scope, random() AS r_board, random() AS r_place, random() AS r_kind,
       random() AS r_name, random() AS r_desc, random() AS r_venue, random() AS r_day,
       random() AS r_time, random() AS r_fee, random() AS r_fees, random() AS r_cat2,
       random() AS r_cat3, random() AS r_nloc, random() AS r_pc1, random() AS r_pc2,
       random() AS r_pc3, random() AS r_nb2, random() AS r_nb3, random() AS r_ven2,
       random() AS r_ven3, random() AS r_status, random() AS r_reviewed, random() AS r_due,
       random() AS r_email, random() AS r_phone
  FROM generate_series(1, (SELECT services FROM demo_setting)) i;

-- What each service is: scope, kind, place, board.
CREATE TEMP TABLE demo_choice ON COMMIT DROP AS
SELECT r.*, k.id AS kind_id, k.scope,
       CASE WHEN k.scope = 'national' THEN NULL ELSE pl.board_id END AS board_id,
       pl.id AS place_id, a.name_no, a.fee, coalesce(a.deprived, false) AS deprived, a.nloc
  FROM demo_rnd r
  CROSS JOIN demo_pick x
  LEFT JOIN demo_anchor a ON a.i = r.i
  LEFT JOIN demo_every_place ep ON ep.slot = r.i - x.n_anchor
  LEFT JOIN demo_local_slot lp ON lp.slot = floor(r.r_place * x.n_local_slot)::integer
  -- the scope, then kind and place, of non-anchor services: after the
  -- anchors, one local service in every place, then random ones
  CROSS JOIN LATERAL (
        SELECT CASE WHEN a.i IS NOT NULL THEN NULL
                    WHEN r.i <= x.n_anchor + x.n_place THEN 'local'
                    WHEN r.r_scope < x.p_national THEN 'national'
                    WHEN r.r_scope < x.p_national + x.p_board THEN 'board'
                    ELSE 'local' END AS scope) s
  CROSS JOIN LATERAL (
        SELECT CASE WHEN a.i IS NOT NULL THEN (SELECT id FROM demo_kind WHERE key = a.kind)
                    WHEN s.scope = 'local'
                         THEN x.kind_local[1 + floor(r.r_kind * cardinality(x.kind_local))::integer]
                    WHEN s.scope = 'board'
                         THEN x.kind_board[1 + floor(r.r_kind * cardinality(x.kind_board))::integer]
                    ELSE x.kind_national[1 + floor(r.r_kind * cardinality(x.kind_national))::integer]
               END AS kind_id,
               CASE WHEN a.i IS NOT NULL THEN (SELECT id FROM demo_place WHERE name = a.place)
                    WHEN r.i <= x.n_anchor + x.n_place THEN ep.place_id
                    WHEN s.scope = 'local' THEN lp.place_id
                    WHEN s.scope = 'board' AND r.r_board < 0.6
                         THEN x.hub_ggc[1 + floor(r.r_place * cardinality(x.hub_ggc))::integer]
                    WHEN s.scope = 'board'
                         THEN x.hub_fife[1 + floor(r.r_place * cardinality(x.hub_fife))::integer]
                    ELSE x.hub_national END AS place_id) c
  JOIN demo_kind k ON k.id = c.kind_id
  JOIN demo_place pl ON pl.id = c.place_id;
ANALYZE demo_choice;

CREATE OR REPLACE FUNCTION pg_temp.demo_fill(t text, p text, v text, d text, tm text, c text, b text, bb text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT replace(replace(replace(replace(replace(replace(replace(replace(t,
           '{p}', coalesce(p, '')), '{v}', coalesce(v, '')), '{d}', coalesce(d, '')),
           '{t}', coalesce(tm, '')), '{s}', split_part(coalesce(tm, ''), ' to ', 1)),
           '{c}', coalesce(c, '')), '{b}', coalesce(b, '')), '{B}', coalesce(bb, ''))
$$;

CREATE OR REPLACE FUNCTION pg_temp.demo_slug(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT trim(BOTH '-' FROM regexp_replace(lower(translate(t, 'éè''', 'ee')), '[^a-z0-9]+', '-', 'g'))
$$;

CREATE OR REPLACE FUNCTION pg_temp.demo_any(a text[], r float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT a[1 + floor(r * cardinality(a))::integer]
$$;

-- The services, fully described.
CREATE TEMP TABLE demo_svc ON COMMIT DROP AS
SELECT c.i,
       md5('links-demo:service:' || c.i)::uuid AS id,
       md5('links-demo:organization:' || c.i)::uuid AS organization_id,
       c.board_id, c.scope, c.kind_id, c.place_id, c.deprived, c.r_cat2, c.r_cat3,
       c.r_pc1, c.r_pc2, c.r_pc3, c.r_nb2, c.r_nb3, c.r_ven2, c.r_ven3,
       CASE WHEN c.nloc IS NOT NULL THEN c.nloc
            WHEN c.scope = 'local' THEN CASE WHEN c.r_nloc < 0.85 THEN 1 WHEN c.r_nloc < 0.96 THEN 2 ELSE 3 END
            WHEN c.scope = 'board' THEN 1 + floor(c.r_nloc * 3)::integer
            ELSE CASE WHEN c.r_nloc < 0.7 THEN 1 ELSE 0 END END AS nloc,
       v.venue, pg_temp.demo_any(x.days, c.r_day) AS day,
       -- the day and time the description names, for its schedule row
       pg_temp.demo_any(k.descs, c.r_desc) AS desc_template,
       pg_temp.demo_any(x.days_rfc5545, c.r_day) AS byday,
       pg_temp.demo_any(x.opens, c.r_time)::time AS opens_at,
       pg_temp.demo_any(x.closes, c.r_time)::time AS closes_at,
       pg_temp.demo_fill(CASE WHEN c.name_no IS NOT NULL THEN k.names[c.name_no]
                              ELSE pg_temp.demo_any(k.names, c.r_name) END,
                         pl.name, NULL, NULL, NULL, NULL, b.short, b.long) AS base_name,
       pg_temp.demo_fill(k.org, pl.name, NULL, NULL, NULL, NULL, b.short, b.long) || ' (demo)' AS org_name,
       'Demo entry: ' || pg_temp.demo_fill(pg_temp.demo_any(k.descs, c.r_desc), pl.name, v.venue,
                         pg_temp.demo_any(x.days, c.r_day), pg_temp.demo_any(x.times, c.r_time),
                         ca.name, b.short, b.long) AS description,
       pg_temp.demo_fill(k.elig, pl.name, NULL, NULL, NULL, ca.name, b.short, b.long) AS eligibility,
       f.paid,
       CASE WHEN f.paid THEN pg_temp.demo_any(k.fees, c.r_fees) END AS fees_description,
       CASE WHEN k.scope = 'national' THEN '0808 157 0' || to_char(c.i % 1000, 'FM000')
            WHEN c.r_phone < 0.04 THEN NULL
            WHEN k.scope = 'local' AND c.r_phone > 0.9 THEN '07700 900' || to_char(c.i % 1000, 'FM000')
            WHEN pl.phone_area = '0141' THEN '0141 496 0' || to_char(c.i % 1000, 'FM000')
            ELSE pl.phone_area || ' 000' || to_char(c.i % 1000, 'FM000') END AS phone,
       CASE WHEN c.name_no IS NOT NULL OR c.r_status < 0.96 THEN 'active'
            WHEN c.r_status < 0.99 THEN 'temporarily closed'
            ELSE 'inactive' END AS status,
       -- Reviewed within the last 440 days, counted from the day of loading:
       -- with a 365-day period and 30 days' grace, about one service in ten
       -- is overdue and one in fifteen due. Anchors (which tests and demos
       -- rely on) are always current.
       current_date - floor(c.r_reviewed * CASE WHEN c.name_no IS NOT NULL THEN 300 ELSE 440 END)::integer
           AS last_reviewed,
       c.r_due, c.r_email
  FROM demo_choice c
  CROSS JOIN demo_pick x
  JOIN demo_kind k ON k.id = c.kind_id
  JOIN demo_place pl ON pl.id = c.place_id
  LEFT JOIN council_area ca ON ca.code = pl.council_code
  CROSS JOIN LATERAL (
        SELECT CASE WHEN c.board_id = 2 THEN 'Fife' ELSE 'Glasgow' END AS short,
               CASE WHEN c.board_id = 2 THEN 'Fife' ELSE 'Greater Glasgow and Clyde' END AS long) b
  CROSS JOIN LATERAL (
        SELECT pl.name || ' ' || CASE WHEN k.scope = 'local' THEN pg_temp.demo_any(x.venues, c.r_venue)
                                      ELSE pg_temp.demo_any(x.offices, c.r_venue) END AS venue) v
  CROSS JOIN LATERAL (
        SELECT CASE c.fee WHEN 'free' THEN false WHEN 'paid' THEN true
                    ELSE c.r_fee < k.fee_p END AS paid) f;
ANALYZE demo_svc;

-- Two local services of the same name: tell them apart by their day
-- ("Partick Art Group (Tuesdays)"), then by number.
CREATE TEMP TABLE demo_svc_name ON COMMIT DROP AS
SELECT t.i,
       CASE WHEN t.dup2 = 1 THEN t.name2 ELSE t.name2 || ' ' || t.dup2 END AS name
  FROM (SELECT u.*, row_number() OVER (PARTITION BY u.name2 ORDER BY u.i) AS dup2
          FROM (SELECT s.i,
                       CASE WHEN s.dup = 1 OR s.scope <> 'local' THEN s.base_name
                            ELSE s.base_name || ' (' || s.day || 's)' END AS name2
                  FROM (SELECT i, base_name, day, scope,
                               row_number() OVER (PARTITION BY base_name ORDER BY i) AS dup
                          FROM demo_svc) s) u) t;

-- Locations: the first at the service's place, others at neighbouring
-- places of the same board.
CREATE TEMP TABLE demo_loc_place ON COMMIT DROP AS
SELECT s.i, j, s.id AS service_id, s.organization_id, s.board_id, s.scope,
       CASE j WHEN 1 THEN s.place_id
              WHEN 2 THEN nb.ids[1 + floor(s.r_nb2 * cardinality(nb.ids))::integer]
              ELSE nb.ids[1 + floor(s.r_nb3 * cardinality(nb.ids))::integer] END AS place_id,
       CASE j WHEN 1 THEN s.r_pc1 WHEN 2 THEN s.r_pc2 ELSE s.r_pc3 END AS r_pc,
       CASE j WHEN 2 THEN s.r_ven2 ELSE s.r_ven3 END AS r_ven,
       CASE j WHEN 1 THEN s.venue END AS venue,
       j = 1 AND s.deprived AS deprived
  FROM demo_svc s
  CROSS JOIN LATERAL generate_series(1, s.nloc) j
  JOIN demo_neighbour nb ON nb.place_id = s.place_id;
ANALYZE demo_loc_place;

CREATE TEMP TABLE demo_loc ON COMMIT DROP AS
SELECT w.i, w.j,
       md5('links-demo:location:' || w.i || ':' || w.j)::uuid AS id,
       md5('links-demo:service-at-location:' || w.i || ':' || w.j)::uuid AS sal_id,
       w.service_id, w.organization_id, w.board_id,
       w.venue AS name, w.venue AS address_1, w.town AS city,
       p.postcode, p.lat, p.lon, p.council_code
  FROM (SELECT l.i, l.j, l.service_id, l.organization_id, l.board_id, pl.id AS place_id, pl.town,
               coalesce(l.venue, pl.name || ' ' ||
                        CASE WHEN l.scope = 'local' THEN pg_temp.demo_any(x.venues, l.r_ven)
                             ELSE pg_temp.demo_any(x.offices, l.r_ven) END) AS venue,
               l.deprived AND ps.n_deprived > 0 AS use_deprived,
               1 + floor(l.r_pc * CASE WHEN l.deprived AND ps.n_deprived > 0
                                       THEN ps.n_deprived ELSE ps.n END)::integer AS k
          FROM demo_loc_place l
          CROSS JOIN demo_pick x
          JOIN demo_place pl ON pl.id = l.place_id
          JOIN demo_pool_size ps ON ps.place_id = l.place_id) w
  JOIN demo_pool p ON p.place_id = w.place_id AND p.deprived = w.use_deprived AND p.k = w.k;

-- The same location twice for one service (two neighbours that pick the
-- same place and postcode) would only confuse: keep the first.
DELETE FROM demo_loc d USING demo_loc e
 WHERE e.i = d.i AND e.j < d.j AND e.postcode = d.postcode;

CREATE TEMP TABLE demo_sc ON COMMIT DROP AS
SELECT s.id AS service_id, c.id AS category_id, s.board_id
  FROM demo_svc s
  JOIN demo_kind k ON k.id = s.kind_id
  CROSS JOIN LATERAL unnest(k.cats) WITH ORDINALITY AS u (slug, ord)
  JOIN category c ON c.slug = u.slug
 WHERE u.ord = 1 OR (u.ord = 2 AND s.r_cat2 < 0.75) OR (u.ord = 3 AND s.r_cat3 < 0.35);

-- Every column of every demo service (keywords, category_lineage and the
-- location_* columns are left to the triggers of 0002_directory.sql).
CREATE TEMP TABLE demo_service_row ON COMMIT DROP AS
SELECT s.board_id, s.id, s.organization_id, n.name, s.description,
       'https://example.org/' || pg_temp.demo_slug(n.name) AS url,
       CASE WHEN s.r_email < 0.7 THEN pg_temp.demo_slug(n.name) || '@example.org' END AS email,
       s.status, s.fees_description, NOT s.paid AS is_free,
       s.eligibility AS eligibility_description, s.scope AS area,
       s.last_reviewed,
       true AS demo
  FROM demo_svc s
  JOIN demo_svc_name n USING (i);

------------------------------------------------------------------------
-- Apply: delete what a previous run made and this one does not, then
-- insert what is missing or different, leaving rows that are already right
-- alone (so a second run with the same settings writes next to nothing).
-- Demo organizations are recognised by their "Demo entry:" description,
-- their locations by belonging to one. The statement-level triggers on
-- service_category and service_at_location then fill service.keywords,
-- category_lineage and location_* in one UPDATE per statement.
DELETE FROM service WHERE demo AND id NOT IN (SELECT id FROM demo_svc);

DELETE FROM location
 WHERE organization_id IN (SELECT id FROM organization WHERE description LIKE 'Demo entry:%')
   AND id NOT IN (SELECT id FROM demo_loc);

DELETE FROM organization o
 WHERE o.description LIKE 'Demo entry:%'
   AND o.id NOT IN (SELECT organization_id FROM demo_svc)
   AND NOT EXISTS (SELECT 1 FROM service s WHERE s.organization_id = o.id)
   AND NOT EXISTS (SELECT 1 FROM location l WHERE l.organization_id = o.id);


INSERT INTO organization (board_id, id, name, description, url, email)
SELECT s.board_id, s.organization_id, s.org_name,
       'Demo entry: a fictional organisation made up for demonstrations and tests.',
       'https://example.org/' || pg_temp.demo_slug(replace(s.org_name, ' (demo)', '')),
       CASE WHEN s.r_email < 0.7 THEN pg_temp.demo_slug(replace(s.org_name, ' (demo)', '')) || '@example.org' END
  FROM demo_svc s
ON CONFLICT (id) DO UPDATE SET
    board_id = EXCLUDED.board_id, name = EXCLUDED.name, description = EXCLUDED.description,
    url = EXCLUDED.url, email = EXCLUDED.email
WHERE (organization.board_id, organization.name, organization.description, organization.url, organization.email)
      IS DISTINCT FROM
      (EXCLUDED.board_id, EXCLUDED.name, EXCLUDED.description, EXCLUDED.url, EXCLUDED.email);

-- Unchanged rows are filtered out before the INSERT, which also saves
-- computing search_vector for them.
-- (Phone numbers go to the phone table: 35_details.sql.)
INSERT INTO service (board_id, id, organization_id, name, description, url, email, status,
                     fees_description, is_free, eligibility_description, area,
                     last_reviewed, demo)
SELECT d.board_id, d.id, d.organization_id, d.name, d.description, d.url, d.email, d.status,
       d.fees_description, d.is_free, d.eligibility_description, d.area,
       d.last_reviewed, d.demo
  FROM demo_service_row d
 WHERE NOT EXISTS (
       SELECT 1 FROM service t
        WHERE t.id = d.id
          AND (t.board_id, t.organization_id, t.name, t.description, t.url, t.email,
               t.status, t.fees_description, t.is_free, t.eligibility_description, t.area,
               t.last_reviewed, t.demo)
              IS NOT DISTINCT FROM
              (d.board_id, d.organization_id, d.name, d.description, d.url, d.email,
               d.status, d.fees_description, d.is_free, d.eligibility_description, d.area,
               d.last_reviewed, d.demo))
ON CONFLICT (id) DO UPDATE SET
    board_id = EXCLUDED.board_id, organization_id = EXCLUDED.organization_id, name = EXCLUDED.name,
    description = EXCLUDED.description, url = EXCLUDED.url, email = EXCLUDED.email,
    status = EXCLUDED.status, fees_description = EXCLUDED.fees_description,
    is_free = EXCLUDED.is_free, eligibility_description = EXCLUDED.eligibility_description,
    area = EXCLUDED.area, last_reviewed = EXCLUDED.last_reviewed,
    demo = EXCLUDED.demo;

-- A demo location that must change is deleted and inserted again rather
-- than updated: its service_at_location rows go with it (one set-based
-- trigger run) instead of firing the row-level location_moved trigger
-- once per location.
DELETE FROM location l
 USING demo_loc d
 WHERE l.id = d.id
   AND (l.board_id, l.organization_id, l.name, l.address_1, l.city, l.postcode, l.lat, l.lon,
        l.council_code)
       IS DISTINCT FROM
       (d.board_id, d.organization_id, d.name, d.address_1, d.city, d.postcode, d.lat, d.lon,
        d.council_code);

INSERT INTO location (board_id, id, organization_id, name, address_1, city, postcode, lat, lon, council_code)
SELECT board_id, id, organization_id, name, address_1, city, postcode, lat, lon, council_code
  FROM demo_loc
ON CONFLICT (id) DO NOTHING;

DELETE FROM service_at_location sal
 WHERE sal.service_id IN (SELECT id FROM demo_svc)
   AND NOT EXISTS (SELECT 1 FROM demo_loc d
                    WHERE d.sal_id = sal.id AND d.service_id = sal.service_id
                      AND d.id = sal.location_id AND d.board_id IS NOT DISTINCT FROM sal.board_id);

-- Fresh statistics, so that the triggers' set-based UPDATEs below are
-- planned for thousands of rows (without them, on a first load, the
-- location refresh took 40 s for 20,000 services instead of 2 s).
ANALYZE service;
ANALYZE location;
ANALYZE service_at_location;
ANALYZE service_category;

-- The statement trigger on service_at_location (service_refresh_places)
-- joins up to 25,000 new rows while the statistics still describe the
-- table before this load; index scans only, for this one statement, keep
-- it at 2-3 s for 20,000 services (40 s otherwise after a change of seed).
SET LOCAL enable_seqscan = off;

INSERT INTO service_at_location (board_id, id, service_id, location_id)
SELECT board_id, sal_id, service_id, id FROM demo_loc
ON CONFLICT DO NOTHING;

SET LOCAL enable_seqscan = on;

DELETE FROM service_category sc
 WHERE sc.service_id IN (SELECT id FROM demo_svc)
   AND NOT EXISTS (SELECT 1 FROM demo_sc d
                    WHERE d.service_id = sc.service_id AND d.category_id = sc.category_id
                      AND d.board_id IS NOT DISTINCT FROM sc.board_id);

INSERT INTO service_category (service_id, category_id, board_id)
SELECT service_id, category_id, board_id FROM demo_sc
ON CONFLICT DO NOTHING;

------------------------------------------------------------------------
-- Opening times: a local service whose description names the day it meets
-- ("every {d} at {s}", "{d}s {t}") gets that day and time as a weekly
-- schedule at all its locations, so the two never disagree. Monthly
-- meetings and services without a day in their description have none:
-- their opening times are not known.
CREATE TEMP TABLE demo_schedule ON COMMIT DROP AS
SELECT md5('links-demo:schedule:' || s.i)::uuid AS id, s.board_id, s.id AS service_id,
       s.byday, s.opens_at, s.closes_at
  FROM demo_svc s
 WHERE s.scope = 'local' AND s.desc_template LIKE '%{d}%' AND s.desc_template NOT ILIKE '%monthly%';

DELETE FROM schedule sc
 USING service s
 WHERE s.id = sc.service_id AND s.demo
   AND sc.id NOT IN (SELECT id FROM demo_schedule);

INSERT INTO schedule (board_id, id, service_id, byday, opens_at, closes_at)
SELECT board_id, id, service_id, byday, opens_at, closes_at FROM demo_schedule
ON CONFLICT (id) DO UPDATE SET
    board_id = EXCLUDED.board_id, service_id = EXCLUDED.service_id, byday = EXCLUDED.byday,
    opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at
WHERE (schedule.board_id, schedule.service_id, schedule.byday, schedule.opens_at, schedule.closes_at)
      IS DISTINCT FROM
      (EXCLUDED.board_id, EXCLUDED.service_id, EXCLUDED.byday, EXCLUDED.opens_at, EXCLUDED.closes_at);
