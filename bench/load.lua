-- A realistic mix of public pages for wrk: bench/load.py writes the data file (the slugs,
-- the popular filter links, the Older links) and passes its path as the script's argument:
--   wrk -s bench/load.lua http://127.0.0.1:PORT -- /tmp/.../load-data.lua
--
-- Share of requests, out of 100 (what a news site's logs look like: people land on
-- releases and the home page; crawlers and shared links walk the finder):
--   25 release page (a random one of 2,000 published slugs)
--   10 home
--    8 finder, plain (page 1, the default order)
--   12 finder, a popular filter link (one of 60 combinations of field, country, source,
--      type, drawn once from the reference data: shared links, cached after their first hit)
--    8 search (one or two words from the releases' vocabulary, sometimes a phrase, some
--      sorted by relevance)
--   10 term page (field of work, country, structure, meeting)
--    3 /countries/ and /fields-of-work/
--    7 feeds (the finder's, with a popular filter, a term's)
--    2 sitemap.xml
--    5 deep pages (page 2..N by number, or an Older link with its position)
--   10 misses: an address nobody asked for before, so a full render: a random filter
--      combination with a random date window, or a random two-word search with a filter
-- The weights are in WEIGHTS below; the data file may override MISS (the misses' share).

local WEIGHTS = {
  release = 25, home = 10, finder = 8, popular = 12, search = 8, term = 10,
  index = 3, feed = 7, sitemap = 2, deep = 5, miss = 10,
}

local DATA -- set by init from the data file
local order, total = {}, 0
local n = 0 -- requests made by this thread, for fresh values

local function pick(list)
  return list[math.random(#list)]
end

local function date(day)
  return os.date("!%Y-%m-%d", day * 86400)
end

local function random_filters(max)
  local parts = {}
  local kinds = { "field", "country", "source", "type" }
  for _ = 1, math.random(1, max) do
    local kind = pick(kinds)
    parts[#parts + 1] = kind .. "=" .. pick(DATA[kind])
  end
  return table.concat(parts, "&")
end

local BUILD = {
  release = function() return "/press-releases/" .. pick(DATA.releases) .. "/" end,
  home = function() return "/" end,
  finder = function() return "/press-releases/" end,
  popular = function() return "/press-releases/?" .. pick(DATA.popular) end,
  search = function()
    local q = pick(DATA.words)
    local roll = math.random(3)
    if roll == 1 then q = q .. "+" .. pick(DATA.words) end
    if roll == 2 then q = "%22" .. q .. "+" .. pick(DATA.words) .. "%22" end
    local sort = math.random(4) == 1 and "&sort=relevance" or ""
    return "/press-releases/?q=" .. q .. sort
  end,
  term = function() return pick(DATA.terms) end,
  index = function() return pick({ "/countries/", "/fields-of-work/" }) end,
  feed = function()
    local roll = math.random(3)
    if roll == 1 then return "/press-releases/feed/" end
    if roll == 2 then return "/press-releases/feed/?" .. pick(DATA.popular) end
    return pick(DATA.terms) .. "feed/"
  end,
  sitemap = function() return "/sitemap.xml" end,
  deep = function()
    if math.random(2) == 1 then return pick(DATA.older) end
    return "/press-releases/?page=" .. math.random(2, DATA.last_page)
  end,
  miss = function()
    n = n + 1
    if math.random(2) == 1 then
      -- A random window of days within the archive: two ends never asked for together.
      local a = math.random(DATA.first_day, DATA.last_day)
      local b = math.random(DATA.first_day, DATA.last_day)
      if a > b then a, b = b, a end
      return "/press-releases/?" .. random_filters(2)
        .. "&date_from=" .. date(a) .. "&date_to=" .. date(b)
    end
    return "/press-releases/?q=" .. pick(DATA.words) .. "+" .. pick(DATA.words)
      .. "&" .. random_filters(1) .. "&date_to=" .. date(DATA.last_day - n % 3000)
  end,
}

function init(args)
  DATA = dofile(args[1])
  if DATA.miss then WEIGHTS.miss = DATA.miss end
  for name, weight in pairs(WEIGHTS) do
    total = total + weight
    order[#order + 1] = { name = name, upto = total }
  end
  math.randomseed(DATA.seed + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

request = function()
  local roll = math.random() * total
  for _, entry in ipairs(order) do
    if roll <= entry.upto then
      return wrk.format("GET", BUILD[entry.name]())
    end
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d "
    .. "p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
