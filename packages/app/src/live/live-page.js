// The live view: the strategy's lifetime events from /live/events, drawn as
// they arrive. Every time is the server's performance.now(), in milliseconds;
// the page keeps only the last WINDOW_MS of them, so it never grows.

const WINDOW_MS = 5000;
const ROUTES = ['/whoami', '/db', '/slow?ms=50'];
const MAX_COUNT = 2000;
const MAX_CONCURRENCY = 64;
/** The server's tenant id rule (x-tenant), and how many tenants one burst or one creation may name. */
const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const MAX_TENANTS = 16;
/** Height of one lane or request row, and the room left of the plot for labels, in CSS pixels. */
const ROW = 14;
const LABEL = 48;
const STATS_SHOWN = [
  'opened',
  'closed',
  'active',
  'peakActive',
  'acquires',
  'releases',
  'waits',
  'timeouts',
  'scopesOpen',
  'errors',
];

const byId = (id) => document.getElementById(id);
const canvas = byId('timeline');
const pen = canvas.getContext('2d');

/** The app's default database's name, from the stream's hello. */
let defaultDatabase;
/** The server's clock minus this page's, from the stream's hello. */
let offset = 0;
/** Connection id to its lane: { n, row, opened, closed, holds: [{ from, to, scope }] }. */
let lanes = new Map();
/**
 * Which open connection each lane row shows now; undefined rows are free. A
 * closed connection's row is taken by the next one to appear, so a lifetime
 * that opens a connection per request stays as tall as its connections open
 * at once, with each lane's number at its start.
 */
let laneRows = [];
/** Scope id to its request bar: { start, end, row, marks: [{ t, kind }] }. */
let requests = new Map();
/** Which request bar each row shows now; undefined rows are free. */
let rows = [];
let nextLane = 1;
/**
 * The registry's engines (one pool per database) in the window, oldest
 * first: { row, created, evicted, closed }. A database's engine made again
 * after an eviction is a new one in the same row.
 */
let engines = [];
/** Database name to its engine not closed yet. */
let openEngines = new Map();
/** Which database each engine row shows; undefined rows are free. */
let engineRows = [];
let drawn = newTally();

function newTally() {
  return { requests: 0, opens: 0, closes: 0, waits: 0, timeouts: 0, engines: 0, evictions: 0, 'engine-closes': 0 };
}

function serverNow() {
  return performance.now() + offset;
}

/** A new stream (first, or after the server restarted): its ids start over, so does the picture. */
function start(hello) {
  offset = hello.now - performance.now();
  defaultDatabase = hello.database;
  lanes = new Map();
  laneRows = [];
  requests = new Map();
  rows = [];
  nextLane = 1;
  engines = [];
  openEngines = new Map();
  engineRows = [];
  drawn = newTally();
  byId('strategy').textContent = `${hello.strategy} on ${hello.dialect}`;
}

/** The lowest free row of `rows` (undefined entries are free), or a new one below the rest. */
function freeRow(rows) {
  const row = rows.indexOf(undefined);
  return row === -1 ? rows.length : row;
}

function laneOf(id) {
  let lane = lanes.get(id);
  if (!lane) {
    const row = freeRow(laneRows);
    laneRows[row] = id;
    lane = { n: nextLane++, row, opened: undefined, closed: undefined, holds: [] };
    lanes.set(id, lane);
  }
  return lane;
}

/**
 * A new request bar, in the lowest free row. Only a scope's start makes one:
 * a late event can carry a scope long ended (a pool's idle timer runs in the
 * context of the request that released the connection), and a scope already
 * running when this page connected has no start to draw from.
 */
function startRequest(scope, t) {
  const row = freeRow(rows);
  rows[row] = scope;
  requests.set(scope, { start: t, end: undefined, row, marks: [] });
  drawn.requests++;
}

/**
 * How an engine's row is labelled: "default" for the app's own database (the
 * hello names it), the tenant id for a tenant's (PostgreSQL
 * \`<default>__<id>\`, SQLite \`<id>.db\`), with \`~\` before it while the tenant
 * is being built; cut to fit the label column.
 */
function engineLabel(name) {
  const tenantPrefix = `${defaultDatabase}__`;
  const label =
    name === defaultDatabase
      ? 'default'
      : name.startsWith(tenantPrefix)
        ? name.slice(tenantPrefix.length)
        : name.replace(/\.db\.building$/, '').replace(/\.db$/, '');
  const building = name.endsWith('.db.building') ? '~' : '';
  const shown = building + label;
  return shown.length > 8 ? `${shown.slice(0, 7)}…` : shown;
}

/** The registry's engine events: made, evicted (no new request reaches it), closed. */
function applyEngine(type, t, name) {
  if (type === 'engine-create') {
    // A database made again keeps its row.
    const kept = engineRows.indexOf(name);
    const row = kept === -1 ? freeRow(engineRows) : kept;
    engineRows[row] = name;
    const engine = { row, created: t, evicted: undefined, closed: undefined };
    engines.push(engine);
    openEngines.set(name, engine);
    drawn.engines++;
    return;
  }
  const engine = openEngines.get(name);
  if (type === 'evict') {
    drawn.evictions++;
    if (engine) engine.evicted = t;
  }
  if (type === 'engine-close') {
    drawn['engine-closes']++;
    if (engine) engine.closed = t;
    openEngines.delete(name);
  }
}

function apply(event) {
  const { type, t, scope, conn } = event;
  if (type === 'engine-create' || type === 'evict' || type === 'engine-close') {
    applyEngine(type, t, event.engine ?? '(unnamed)');
    return;
  }
  if (type === 'scope-start' && scope !== undefined) startRequest(scope, t);
  const request = scope === undefined ? undefined : requests.get(scope);
  const lane = conn === undefined ? undefined : laneOf(conn);
  if (type === 'scope-end' && request && request.end === undefined) {
    request.end = t;
    rows[request.row] = undefined;
  }
  if (type === 'open' && lane) {
    lane.opened = t;
    drawn.opens++;
  }
  if (type === 'close' && lane) {
    lane.closed = t;
    drawn.closes++;
    if (laneRows[lane.row] === conn) laneRows[lane.row] = undefined;
  }
  if (type === 'acquire' && lane) lane.holds.push({ from: t, to: undefined, scope });
  if (type === 'release' && lane) {
    const hold = lane.holds.findLast((h) => h.to === undefined);
    if (hold) hold.to = t;
  }
  if (type === 'wait' || type === 'timeout') {
    drawn[type === 'wait' ? 'waits' : 'timeouts']++;
    request?.marks.push({ t, kind: type });
  }
}

/** Forgets what ended before the window: the page's memory is bounded by what fits in it. */
function prune(from) {
  for (const [id, lane] of lanes) {
    if (lane.closed !== undefined && lane.closed < from) lanes.delete(id);
    else lane.holds = lane.holds.filter((h) => h.to === undefined || h.to >= from);
  }
  for (const [scope, request] of requests) {
    if (request.end !== undefined && request.end < from) requests.delete(scope);
  }
  engines = engines.filter((engine) => engine.closed === undefined || engine.closed >= from);
  engineRows = engineRows.map((name, row) =>
    engines.some((engine) => engine.row === row) ? name : undefined,
  );
}

function colour(scope) {
  return `hsl(${((scope ?? 0) * 47) % 360} 65% 50%)`;
}

function draw() {
  const now = serverNow();
  const from = now - WINDOW_MS;
  prune(from);
  const shown = [...lanes.values()];
  const laneCount = Math.max(0, ...shown.map((lane) => lane.row + 1));
  const requestRows = Math.max(0, ...[...requests.values()].map((r) => r.row + 1));
  const engineCount = Math.max(0, ...engines.map((engine) => engine.row + 1));
  const engineTop = 20;
  const laneTop = engineTop + (engineCount > 0 ? engineCount * ROW + 28 : 0);
  const requestTop = laneTop + laneCount * ROW + 28;
  const width = canvas.clientWidth;
  const height = requestTop + requestRows * ROW + 8;
  const scale = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * scale) || canvas.height !== Math.round(height * scale)) {
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.style.height = `${height}px`;
  }
  pen.setTransform(scale, 0, 0, scale, 0, 0);
  pen.clearRect(0, 0, width, height);
  const x = (t) => LABEL + ((Math.max(t, from) - from) / WINDOW_MS) * (width - LABEL);

  pen.font = '11px system-ui, sans-serif';
  pen.fillStyle = '#555';
  if (engineCount > 0) {
    pen.fillText('engines (one pool per database)', 4, 12);
    pen.fillText('connections', 4, laneTop - 8);
  } else {
    pen.fillText('connections', 4, 12);
  }
  pen.fillText('requests', 4, requestTop - 8);

  // Each row is labelled with its newest connection's number: climbing
  // fast where connections are opened per request, still where a pool keeps them.
  const newest = [];
  for (const lane of shown) newest[lane.row] = Math.max(newest[lane.row] ?? 0, lane.n);
  pen.fillStyle = '#555';
  newest.forEach((n, row) => pen.fillText(`#${n}`, 4, laneTop + row * ROW + 10));

  for (const lane of shown) {
    const y = laneTop + lane.row * ROW;
    const start = lane.opened ?? from;
    pen.fillStyle = '#bbb';
    pen.fillRect(x(start), y + 6, x(lane.closed ?? now) - x(start), 1);
    for (const hold of lane.holds) {
      pen.fillStyle = colour(hold.scope);
      pen.fillRect(x(hold.from), y + 2, Math.max(1, x(hold.to ?? now) - x(hold.from)), ROW - 4);
    }
    if (lane.opened !== undefined && lane.opened >= from) {
      pen.fillStyle = '#2a8a2a';
      pen.fillText('▲', x(lane.opened) - 4, y + 11);
    }
    if (lane.closed !== undefined) {
      pen.fillStyle = '#222';
      pen.fillText('✕', x(lane.closed) - 4, y + 11);
    }
  }

  pen.fillStyle = '#555';
  engineRows.forEach((name, row) => {
    if (name !== undefined) pen.fillText(engineLabel(name), 4, engineTop + row * ROW + 10);
  });
  for (const engine of engines) {
    const y = engineTop + engine.row * ROW;
    const end = engine.closed ?? now;
    pen.fillStyle = '#1e88e5';
    pen.fillRect(x(engine.created), y + 5, Math.max(1, x(end) - x(engine.created)), 3);
    if (engine.evicted !== undefined) {
      pen.fillStyle = '#e08a00';
      pen.fillText('⇣', x(engine.evicted) - 4, y + 11);
    }
    if (engine.closed !== undefined) {
      pen.fillStyle = '#222';
      pen.fillText('✕', x(engine.closed) - 4, y + 11);
    }
  }

  for (const [scope, request] of requests) {
    const y = requestTop + request.row * ROW;
    pen.fillStyle = colour(scope);
    pen.fillRect(x(request.start), y + 2, Math.max(1, x(request.end ?? now) - x(request.start)), ROW - 4);
    for (const mark of request.marks) {
      pen.fillStyle = mark.kind === 'wait' ? '#e08a00' : '#c62828';
      pen.fillText(mark.kind === 'wait' ? '●' : '■', x(mark.t) - 4, y + 11);
    }
  }

  for (const [name, value] of Object.entries(drawn)) byId(`drawn-${name}`).textContent = value;
  byId('open-now').textContent = shown.filter((l) => l.closed === undefined).length;
  byId('held-now').textContent = shown.filter((l) => l.holds.some((h) => h.to === undefined)).length;
  byId('requests-now').textContent = [...requests.values()].filter((r) => r.end === undefined).length;
  requestAnimationFrame(draw);
}

function watch() {
  const status = byId('status');
  const events = new EventSource('/live/events');
  events.addEventListener('hello', (message) => start(JSON.parse(message.data)));
  events.addEventListener('message', (message) => apply(JSON.parse(message.data)));
  events.addEventListener('open', () => {
    status.textContent = '';
  });
  events.addEventListener('error', () => {
    status.textContent =
      events.readyState === EventSource.CLOSED
        ? 'The server refused the event stream (it may already stream to its most viewers, or be shutting down): reload this page to try again.'
        : 'The event stream was cut: reconnecting…';
  });
}

async function pollStats() {
  const list = byId('stats');
  const status = byId('stats-status');
  try {
    const response = await fetch('/stats', { cache: 'no-store' });
    const stats = await response.json();
    const shown = STATS_SHOWN.map((name) => [name, stats[name]]);
    if (stats.live) shown.push(['viewers', stats.live.viewers], ['viewers dropped', stats.live.dropped]);
    list.replaceChildren(
      ...shown.map(([name, value]) => {
        const pair = document.createElement('div');
        const term = document.createElement('dt');
        const detail = document.createElement('dd');
        term.textContent = name;
        detail.textContent = value ?? '–';
        detail.id = `stats-${name.replaceAll(' ', '-')}`;
        pair.append(term, detail);
        return pair;
      }),
    );
    status.textContent = '';
  } catch {
    status.textContent = 'The server does not answer /stats: is it still running?';
  }
}

/** A whole number within min..max: the form's own checks stop most bad input, this the rest. */
function clamp(value, min, max) {
  const number = Number.parseInt(String(value), 10);
  return Number.isNaN(number) ? min : Math.min(max, Math.max(min, number));
}

/**
 * The tenant ids a field names, comma- or space-separated: an array, or a
 * string saying what is wrong with them. The server refuses a bad id with a
 * 400 anyway; checking here says so before anything is sent.
 */
function tenantIds(text) {
  const ids = [...new Set(String(text).split(/[\s,]+/).filter((id) => id !== ''))];
  const bad = ids.find((id) => !TENANT_ID.test(id));
  if (bad !== undefined) {
    return `"${bad}" is not a tenant id: lower-case letters, digits, _ and -, starting with a letter or digit, at most 63`;
  }
  if (ids.length > MAX_TENANTS) return `at most ${MAX_TENANTS} tenants, not ${ids.length}`;
  return ids;
}

async function sendBurst(form) {
  const route = String(new FormData(form).get('route'));
  if (!ROUTES.includes(route)) {
    byId('burst-state').textContent = `not sent: pick one of ${ROUTES.join(', ')}`;
    return;
  }
  const tenants = tenantIds(form.elements.tenants.value);
  if (typeof tenants === 'string') {
    byId('burst-state').textContent = `not sent: ${tenants}`;
    return;
  }
  const count = clamp(form.elements.count.value, 1, MAX_COUNT);
  const concurrency = clamp(form.elements.concurrency.value, 1, MAX_CONCURRENCY);
  form.elements.count.value = count;
  form.elements.concurrency.value = concurrency;
  const button = form.querySelector('button');
  button.disabled = true;
  const tally = { sent: 0, ok: 0, 503: 0, other: 0 };
  const show = () => {
    for (const [name, value] of Object.entries(tally)) byId(`burst-${name}`).textContent = value;
  };
  byId('burst-state').textContent = 'running';
  byId('burst-ms').textContent = '–';
  const started = performance.now();
  const sender = async () => {
    while (tally.sent < count) {
      // Round robin over the tenants named, or the default database.
      const tenant = tenants.length === 0 ? undefined : tenants[tally.sent % tenants.length];
      tally.sent++;
      try {
        const headers = tenant === undefined ? {} : { 'x-tenant': tenant };
        const response = await fetch(route, { cache: 'no-store', headers });
        await response.arrayBuffer();
        if (response.ok) tally.ok++;
        else if (response.status === 503) tally[503]++;
        else tally.other++;
      } catch {
        tally.other++;
      }
      show();
    }
  };
  show();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, sender));
  byId('burst-ms').textContent = `${Math.round(performance.now() - started)} ms`;
  byId('burst-state').textContent = 'done';
  button.disabled = false;
}

/**
 * POST /tenants for each id, one after another, with the admin token the
 * learner typed (the app's ADMIN_TOKEN): the token is sent to this server
 * only, and kept in no storage. Each line says what the server answered.
 */
async function createTenants(form) {
  const result = byId('tenants-result');
  const ids = tenantIds(form.elements.ids.value);
  if (typeof ids === 'string' || ids.length === 0) {
    result.textContent = `Nothing created: ${typeof ids === 'string' ? ids : 'name at least one tenant'}.`;
    return;
  }
  const button = form.querySelector('button');
  button.disabled = true;
  const lines = [];
  for (const id of ids) {
    let line;
    try {
      const response = await fetch('/tenants', {
        method: 'POST',
        cache: 'no-store',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${form.elements.token.value}`,
        },
        body: JSON.stringify({ id }),
      });
      const answer = await response.json().catch(() => ({}));
      line =
        response.status === 201
          ? `${id}: created`
          : `${id}: ${response.status} ${answer.error ?? response.statusText}`;
    } catch {
      line = `${id}: no answer (is the app still running?)`;
    }
    lines.push(line);
    result.textContent = lines.join('\n');
  }
  button.disabled = false;
}

byId('tenants').addEventListener('submit', (submitted) => {
  submitted.preventDefault();
  void createTenants(submitted.target);
});
byId('burst').addEventListener('submit', (submitted) => {
  submitted.preventDefault();
  void sendBurst(submitted.target);
});
watch();
void pollStats();
setInterval(pollStats, 1000);
requestAnimationFrame(draw);
