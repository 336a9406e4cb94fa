// Rivulet dashboard: one event stream per selected query (/events?query=ID), plots drawn with uPlot.
// Points live in fixed-size ring buffers (typed arrays): appending is O(1) and memory stays flat however
// long the page stays open; a redraw (at most one per animation frame) copies the ring into the arrays
// uPlot reads. See docs/dashboard.md.
'use strict';
(function () {
  const CAPACITY = 3600;               // points kept per chart (an hour at one progress report a second)
  const COLORS = ['#1f6feb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

  /** Columns of numbers in a ring: column 0 is x (seconds), missing values are NaN (drawn as gaps). */
  class Ring {
    constructor(columns, capacity) {
      this.capacity = capacity;
      this.columns = columns;
      this.buf = [];
      this.out = [];
      for (let c = 0; c < columns; c++) {
        this.buf.push(new Float64Array(capacity));
        this.out.push([]);
      }
      this.start = 0;
      this.size = 0;
    }

    push(values) {
      let slot;
      if (this.size < this.capacity) {
        slot = (this.start + this.size) % this.capacity;
        this.size++;
      } else {
        slot = this.start;
        this.start = (this.start + 1) % this.capacity;
      }
      for (let c = 0; c < this.columns; c++) {
        const v = values[c];
        this.buf[c][slot] = (v === null || v === undefined) ? NaN : v;
      }
    }

    lastX() {
      return this.size === 0 ? -Infinity : this.buf[0][(this.start + this.size - 1) % this.capacity];
    }

    /** The arrays uPlot draws, reused across redraws; NaN becomes null (a gap). */
    data() {
      for (let c = 0; c < this.columns; c++) {
        const src = this.buf[c];
        const dst = this.out[c];
        dst.length = this.size;
        for (let i = 0; i < this.size; i++) {
          const v = src[(this.start + i) % this.capacity];
          dst[i] = Number.isNaN(v) ? null : v;
        }
      }
      return this.out;
    }
  }

  const page = {
    queryId: null,
    source: null,
    charts: {},
    drawPending: false,
    lastBatch: null,
  };

  // ------------------------------------------------------------------ formatting

  const nf1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  const nf3 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
  const nf0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  function bytes(n) {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let u = 0;
    while (Math.abs(n) >= 1024 && u < units.length - 1) { n /= 1024; u++; }
    return nf1.format(n) + ' ' + units[u];
  }

  function setFigure(id, value, text) {
    const el = document.getElementById(id);
    if (!el) return;
    el.textContent = text;
    el.dataset.value = value === null || value === undefined ? '' : String(value);
  }

  // ------------------------------------------------------------------ charts

  function chartWidth(el) {
    return Math.max(300, el.clientWidth - 14);
  }

  /**
   * A chart: its ring and its uPlot, made when first needed, remade when its series change (a new
   * stateful operator, a new ring stage).
   */
  function makeChart(id, seriesDefs, axes, scales) {
    const el = document.getElementById(id);
    const old = page.charts[id];
    if (old && old.plot) old.plot.destroy();
    el.querySelectorAll('.empty, .uplot').forEach(n => n.remove());
    const ring = new Ring(seriesDefs.length + 1, CAPACITY);
    let plot = null;
    if (typeof uPlot === 'function') {
      const opts = {
        width: chartWidth(el),
        height: 190,
        series: [{}].concat(seriesDefs),
        axes: axes,
        scales: Object.assign({ x: { time: true } }, scales || {}),
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
      };
      plot = new uPlot(opts, ring.data(), el);
    } else {
      el.insertAdjacentHTML('beforeend', '<div class="empty">chart library (uPlot) not loaded</div>');
    }
    const chart = { id, el, ring, plot, key: null };
    page.charts[id] = chart;
    el.dataset.points = '0';
    return chart;
  }

  function emptyChart(id, text) {
    const el = document.getElementById(id);
    const old = page.charts[id];
    if (old && old.plot) old.plot.destroy();
    delete page.charts[id];
    el.querySelectorAll('.empty, .uplot').forEach(n => n.remove());
    el.insertAdjacentHTML('beforeend', '<div class="empty"></div>');
    el.querySelector('.empty').textContent = text;
    el.dataset.points = '0';
  }

  function line(label, color, scale, dash, fmt, sparse) {
    // A sparse series (latency: only intervals that wrote rows have it) joins its points across gaps.
    const s = { label, stroke: color, width: 1.5, spanGaps: !!sparse, points: { show: !!sparse, size: 3 } };
    if (scale) s.scale = scale;
    if (dash) s.dash = [5, 4];
    if (fmt) s.value = (u, v) => v === null || v === undefined ? '–' : fmt(v);
    return s;
  }

  function axis(scale, label, side, fmt) {
    const a = { scale, label, side, size: 64, labelSize: 16 };
    if (fmt) a.values = (u, vals) => vals.map(v => v === null ? '' : fmt(v));
    if (side === 1) a.grid = { show: false };
    return a;
  }

  function resetCharts() {
    emptyChart('chart-rates', 'waiting for the first progress report');
    emptyChart('chart-latency', 'waiting for the first progress report');
    emptyChart('chart-watermark', 'no watermark (the query has no withWatermark, or none is known yet)');
    emptyChart('chart-state', 'no stateful operator');
    emptyChart('chart-late', 'waiting for the first progress report');
    emptyChart('chart-commit', 'no epoch commit timed yet');
    emptyChart('chart-rings', 'no rings (micro-batch mode, or every keyed stage is fused)');
    page.lastBatch = null;
  }

  function chartFor(id, key, build) {
    const chart = page.charts[id];
    if (chart && chart.key === key) return chart;
    const made = build();
    made.key = key;
    return made;
  }

  function addPoint(p) {
    const x = p.t / 1000;
    const rates = chartFor('chart-rates', 'rates', () => makeChart('chart-rates',
      [line('input rows/s', COLORS[0], null, false, nf1.format), line('processed rows/s', COLORS[1], null, false, nf1.format)],
      [{}, axis('y', 'rows/s', 3, v => nf0.format(v))]));
    if (x <= rates.ring.lastX()) return;   // already have it (a reconnect replays the history)
    rates.ring.push([x, p.inRate, p.procRate]);

    const lat = p.lat || [null, null, null, null];
    const latency = chartFor('chart-latency', 'latency', () => makeChart('chart-latency',
      [line('p50', COLORS[2], null, false, nf3.format, true), line('p99', COLORS[0], null, false, nf3.format, true),
        line('p99.9', COLORS[1], null, false, nf3.format, true), line('max', COLORS[3], null, true, nf3.format, true)],
      [{}, axis('y', 'ms', 3, v => nf3.format(v))]));
    latency.ring.push([x].concat(lat.map(v => v === null ? null : v / 1000)));

    if (p.wm !== null || page.charts['chart-watermark']) {
      const wm = chartFor('chart-watermark', 'wm', () => makeChart('chart-watermark',
        [line('watermark lag (s)', COLORS[0], 'lag', false, nf3.format),
          line('watermark', COLORS[4], 'wm', true, v => new Date(v * 1000).toISOString())],
        [{}, axis('lag', 's', 3, v => nf1.format(v)),
          axis('wm', 'watermark', 1, v => new Date(v * 1000).toISOString().substring(11, 19))],
        { lag: { auto: true }, wm: { auto: true } }));
      wm.ring.push([x, p.wmLagMs === null ? null : p.wmLagMs / 1000, p.wm === null ? null : p.wm / 1000]);
    }

    if (p.state.length > 0) {
      const key = p.state.map(s => s.op).join('\n');
      const state = chartFor('chart-state', key, () => {
        const defs = [];
        p.state.forEach((s, i) => {
          defs.push(line(shortName(s.op) + ' rows', COLORS[i % COLORS.length], 'rows', false, nf0.format));
          defs.push(line(shortName(s.op) + ' bytes', COLORS[i % COLORS.length], 'bytes', true, bytes));
        });
        return makeChart('chart-state', defs,
          [{}, axis('rows', 'rows', 3, v => nf0.format(v)), axis('bytes', 'bytes', 1, bytes)],
          { rows: { auto: true }, bytes: { auto: true } });
      });
      const values = [x];
      p.state.forEach(s => { values.push(s.rows); values.push(s.bytes); });
      state.ring.push(values);
    }

    const late = chartFor('chart-late', 'late', () => makeChart('chart-late',
      [line('late rows', COLORS[3], null, false, nf0.format)], [{}, axis('y', 'rows', 3, v => nf0.format(v))]));
    late.ring.push([x, p.late]);

    if (p.commitMs !== null || page.charts['chart-commit']) {
      const withCheckpoint = p.checkpointMs !== null;
      const current = page.charts['chart-commit'];
      const key = current && current.key === 'commit+checkpoint' ? current.key : withCheckpoint ? 'commit+checkpoint' : 'commit';
      const commit = chartFor('chart-commit', key, () => {
        const defs = [line('epoch commit (ms)', COLORS[0], 'ms', false, nf3.format)];
        const axes = [{}, axis('ms', 'ms', 3, v => nf3.format(v))];
        if (key === 'commit+checkpoint') {
          defs.push(line('checkpoint write (ms)', COLORS[1], 'ms', false, nf3.format));
          defs.push(line('checkpoint size', COLORS[2], 'bytes', true, bytes));
          axes.push(axis('bytes', 'bytes', 1, bytes));
        }
        return makeChart('chart-commit', defs, axes, { ms: { auto: true }, bytes: { auto: true } });
      });
      commit.ring.push(key === 'commit+checkpoint' ? [x, p.commitMs, p.checkpointMs, p.checkpointBytes] : [x, p.commitMs]);
    }

    if (p.json) summary(p);
  }

  function addRings(r) {
    if (r.stages.length === 0) return;
    const key = r.stages.map(s => s.stage).join('\n');
    const rings = chartFor('chart-rings', key, () => makeChart('chart-rings',
      r.stages.map((s, i) => line(shortName(s.stage) + ' fullest ring', COLORS[i % COLORS.length], 'pct', false, nf1.format)),
      [{}, axis('pct', '% full', 3, v => nf0.format(v))], { pct: { range: [0, 100] } }));
    const x = r.t / 1000;
    if (x <= rings.ring.lastX()) return;
    rings.ring.push([x].concat(r.stages.map(s => s.max * 100)));
  }

  function shortName(name) {
    return name.length > 36 ? name.substring(0, 35) + '…' : name;
  }

  function scheduleDraw() {
    if (page.drawPending) return;
    page.drawPending = true;
    requestAnimationFrame(draw);
  }

  function draw() {
    page.drawPending = false;
    for (const id in page.charts) {
      const chart = page.charts[id];
      if (chart.plot) chart.plot.setData(chart.ring.data());
      chart.el.dataset.points = String(chart.ring.size);
    }
  }

  window.addEventListener('resize', () => {
    for (const id in page.charts) {
      const chart = page.charts[id];
      if (chart.plot) chart.plot.setSize({ width: chartWidth(chart.el), height: 190 });
    }
  });

  // ------------------------------------------------------------------ summary and progress JSON

  function summary(p) {
    const j = p.json;
    page.lastBatch = p.batchId;
    setFigure('sum-batchId', p.batchId, String(p.batchId));
    setFigure('sum-inRate', p.inRate, p.inRate === null ? '–' : nf1.format(p.inRate));
    setFigure('sum-procRate', p.procRate, p.procRate === null ? '–' : nf1.format(p.procRate));
    const names = ['p50', 'p99', 'p999', 'max'];
    names.forEach((n, i) => {
      const us = p.lat ? p.lat[i] : null;
      setFigure('sum-' + n, us, us === null ? '–' : nf3.format(us / 1000) + ' ms');
    });
    setFigure('sum-watermark', p.wm, p.wm === null ? '–' : new Date(p.wm).toISOString());
    setFigure('sum-wmLag', p.wmLagMs, p.wmLagMs === null ? '–' : nf3.format(p.wmLagMs / 1000) + ' s');
    setFigure('sum-totalInputRows', p.totalInputRows, nf0.format(p.totalInputRows));
    setFigure('sum-totalOutputRows', p.totalOutputRows, nf0.format(p.totalOutputRows));
    setFigure('sum-late', p.late, nf0.format(p.late));
    const stateRows = p.state.reduce((a, s) => a + s.rows, 0);
    setFigure('sum-stateRows', p.state.length ? stateRows : null, p.state.length ? nf0.format(stateRows) : '–');
    setFigure('sum-commit', p.commitMs, p.commitMs === null ? '–' : nf3.format(p.commitMs) + ' ms');
    document.getElementById('progress-json').textContent = JSON.stringify(j, null, 2);
  }

  function resetSummary() {
    document.querySelectorAll('#summary dd').forEach(dd => { dd.textContent = '–'; dd.dataset.value = ''; });
    document.getElementById('progress-json').textContent = '–';
    document.getElementById('plan').textContent = '';
  }

  // ------------------------------------------------------------------ queries

  function renderQueries(queries) {
    const body = document.querySelector('#query-table tbody');
    body.textContent = '';
    document.getElementById('no-queries').hidden = queries.length > 0;
    for (const q of queries) {
      const tr = document.createElement('tr');
      tr.dataset.id = q.id;
      if (q.id === page.queryId) tr.className = 'selected';
      for (const text of [q.name, q.active ? 'active' : 'ended', q.status, q.id]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      }
      tr.lastChild.className = 'id';
      tr.addEventListener('click', () => { location.hash = encodeURIComponent(q.id); });
      body.appendChild(tr);
      if (q.id === page.queryId) {
        document.getElementById('query-title').textContent = q.name + (q.active ? '' : ' (ended)');
      }
    }
  }

  function selected(id) {
    page.queryId = id;
    document.getElementById('query').hidden = false;
    document.querySelectorAll('#query-table tbody tr').forEach(tr => {
      tr.className = tr.dataset.id === id ? 'selected' : '';
      if (tr.dataset.id === id) {
        document.getElementById('query-title').textContent = tr.firstChild.textContent
          + (tr.children[1].textContent === 'ended' ? ' (ended)' : '');
      }
    });
  }

  // ------------------------------------------------------------------ plan

  const SVG = 'http://www.w3.org/2000/svg';

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  /** Layers from the sources (left) to the sink (right); a stage is a dashed box around its nodes. */
  function renderPlan(plan) {
    const host = document.getElementById('plan');
    host.textContent = '';
    const byId = new Map(plan.nodes.map(n => [n.id, n]));
    const inputs = new Map(plan.nodes.map(n => [n.id, []]));
    for (const e of plan.edges) inputs.get(e.to).push(e.from);
    const layer = new Map();
    for (const n of plan.nodes) {     // ids grow from the sources to the sink: inputs come first
      const ins = inputs.get(n.id);
      layer.set(n.id, ins.length === 0 ? 0 : Math.max(...ins.map(i => layer.get(i))) + 1);
    }
    const W = 210, H = 48, GX = 130, GY = 34, PAD = 26;
    const rows = new Map();
    const pos = new Map();
    for (const n of plan.nodes) {
      const l = layer.get(n.id);
      const r = rows.get(l) || 0;
      rows.set(l, r + 1);
      pos.set(n.id, { x: PAD + l * (W + GX), y: PAD + 14 + r * (H + GY) });
    }
    const width = PAD * 2 + (Math.max(...layer.values()) + 1) * (W + GX) - GX;
    const height = PAD * 2 + 14 + Math.max(...rows.values()) * (H + GY) - GY + 10;
    const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' }, host);
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#6b7280' }, marker);

    // Stages behind the nodes.
    const stages = new Map();
    for (const n of plan.nodes) for (const s of n.stages) {
      if (!stages.has(s)) stages.set(s, []);
      stages.get(s).push(n.id);
    }
    for (const [s, ids] of [...stages.entries()].sort((a, b) => a[0] - b[0])) {
      const xs = ids.map(id => pos.get(id).x), ys = ids.map(id => pos.get(id).y);
      const color = COLORS[(s - 1) % COLORS.length];
      const g = el('g', { class: 'stage', 'data-stage': s }, svg);
      el('rect', { x: Math.min(...xs) - 10, y: Math.min(...ys) - 20, width: Math.max(...xs) - Math.min(...xs) + W + 20,
        height: Math.max(...ys) - Math.min(...ys) + H + 28, rx: 6, fill: color, 'fill-opacity': 0.06, stroke: color }, g);
      const first = plan.nodes.find(n => n.id === ids[0]);
      const parts = first.partitions !== undefined ? first.partitions : null;
      el('text', { x: Math.min(...xs) - 4, y: Math.min(...ys) - 7, fill: color }, g).textContent =
        'stage ' + s + (parts !== null ? ' · ' + parts + (parts === 1 ? ' partition' : ' partitions') : '');
    }

    for (const e of plan.edges) {
      const a = pos.get(e.from), b = pos.get(e.to);
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
      const mx = (x1 + x2) / 2;
      el('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}`, class: 'edge' + (e.exchange === 'ring' ? ' ring' : ''),
        'marker-end': 'url(#arrow)' }, svg);
      if (e.exchange) {
        const text = e.exchange === 'ring' ? 'ring ×' + e.rings + ' by ' + e.key
          : e.exchange === 'fused' ? 'fused (same thread)' : 'local (driver)';
        el('text', { x: mx, y: (y1 + y2) / 2 - 8, class: 'edge-label', 'text-anchor': 'middle' }, svg).textContent = text;
      }
    }

    for (const n of plan.nodes) {
      const p = pos.get(n.id);
      const g = el('g', { class: 'node ' + n.kind, 'data-id': n.id, transform: `translate(${p.x},${p.y})` }, svg);
      el('title', {}, g).textContent = n.label;
      el('rect', { width: W, height: H, rx: 4 }, g);
      el('text', { x: 8, y: 18 }, g).textContent = n.label.length > 32 ? n.label.substring(0, 31) + '…' : n.label;
      let sub = n.kind;
      if (n.stages.length) sub = '*(' + n.stages.join(',') + ') ' + sub;
      if (n.partitions !== undefined) sub += ' · ' + n.partitions + (n.partitions === 1 ? ' partition' : ' partitions');
      if (n.writers !== undefined) sub += ' · ' + n.writers + (n.writers === 1 ? ' writer' : ' writers');
      el('text', { x: 8, y: 36, class: 'sub' }, g).textContent = sub;
    }
    host.dataset.nodes = String(plan.nodes.length);
    host.dataset.mode = plan.mode;
  }

  // ------------------------------------------------------------------ event stream

  function setConn(text, live) {
    const c = document.getElementById('conn');
    c.textContent = text;
    c.className = 'conn' + (live ? ' live' : '');
  }

  function connect(queryId) {
    if (page.source) page.source.close();
    resetCharts();
    resetSummary();
    const es = new EventSource('events' + (queryId ? '?query=' + encodeURIComponent(queryId) : ''));
    page.source = es;
    es.onopen = () => setConn('live', true);
    es.onerror = () => setConn(es.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…', false);
    es.addEventListener('queries', e => renderQueries(JSON.parse(e.data)));
    es.addEventListener('selected', e => selected(JSON.parse(e.data)));
    es.addEventListener('plan', e => renderPlan(JSON.parse(e.data)));
    es.addEventListener('history', e => {
      for (const p of JSON.parse(e.data).points) addPoint(p);
      scheduleDraw();
    });
    es.addEventListener('progress', e => { addPoint(JSON.parse(e.data)); scheduleDraw(); });
    es.addEventListener('rings', e => { addRings(JSON.parse(e.data)); scheduleDraw(); });
  }

  function fromHash() {
    return location.hash.length > 1 ? decodeURIComponent(location.hash.substring(1)) : null;
  }

  window.addEventListener('hashchange', () => {
    const id = fromHash();
    if (id && id !== page.queryId) connect(id);
  });

  // For tests and the curious: the page's state.
  window.rivuletDashboard = {
    points: id => (page.charts[id] ? page.charts[id].ring.size : 0),
    queryId: () => page.queryId,
    lastBatch: () => page.lastBatch,
  };

  connect(fromHash());
})();
