-- create.lua — wrk script for tests/bench/referrals: every request POSTs a new
-- referral (links_worker: true) as a signed-in GP, with a fresh
-- Idempotency-Key and a CHI number no other request of the run uses.
--   wrk -t T ... -s create.lua URL -- COOKIE CSRF BASE POSTCODE T
-- COOKIE: the session cookie pair (name=value); CSRF: the sign-in answer's
-- csrf_token; BASE: the first number of this phase's CHI range (see chi
-- below: the bench gives every phase a range of its own); T: wrk's threads.
-- Every answer that is not 201 is counted and the first printed by done().

-- The CHI number for serial K (the same mapping as pgbench.mjs and the
-- pgbench scripts): DDMMYY with DD 10-28 (so no leading zero and always a
-- date), three digits, a modulus-11 check digit; a serial whose check digit
-- would be 10 (invalid) moves to the upper half of the three digits, which
-- makes it 1.
local function chi(k)
    local day = 10 + k % 19
    local month = 1 + math.floor(k / 19) % 12
    local yy = math.floor(k / 228) % 100
    local s = math.floor(k / 22800) % 500
    local nine = ((day * 100 + month) * 100 + yy) * 1000 + s
    local function weighted(n)
        local sum = 0
        for w = 2, 10 do                   -- rightmost of the nine digits weighs 2
            sum = sum + (n % 10) * w
            n = math.floor(n / 10)
        end
        return sum
    end
    local check = (11 - weighted(nine) % 11) % 11
    if check == 10 then
        nine = nine + 500
        check = (11 - weighted(nine) % 11) % 11
    end
    return string.format("%09d%d", nine, check)
end

local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

local cookie, csrf, base, postcode, nthreads, path
local n = 0
-- globals: done() reads them from each thread with thread:get()
bad, first_bad = 0, nil

function init(args)
    cookie, csrf, base, postcode = args[1], args[2], tonumber(args[3]), args[4]
    nthreads = tonumber(args[5] or "1")
    path = wrk.path
end

function request()
    n = n + 1
    local k = base + n * nthreads + tid
    local body = string.format(
        '{"links_worker":true,"postcode":"%s","chi":"%s","name":"Bench Patient %d",' ..
        '"contact_method":"phone","contact_detail":"0141 496 0000","reason":"Benchmark referral: social isolation",' ..
        '"consent":true}', postcode, chi(k), k)
    return wrk.format("POST", path, {
        ["Content-Type"] = "application/json",
        ["Cookie"] = cookie,
        ["X-CSRF-Token"] = csrf,
        ["Idempotency-Key"] = "bench-" .. k,
    }, body)
end

function response(status, headers, body)
    if status ~= 201 then
        bad = bad + 1
        if first_bad == nil then
            first_bad = status .. " " .. string.sub(body or "", 1, 300)
        end
    end
end

function done(summary, latency, requests)
    local total, first = 0, nil
    for _, t in ipairs(threads) do
        total = total + (t:get("bad") or 0)
        first = first or t:get("first_bad")
    end
    io.write(string.format("non-201 answers: %d\n", total))
    if first then
        io.write("first non-201 answer: " .. first .. "\n")
    end
end
