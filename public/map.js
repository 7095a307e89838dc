// The network map: draws actors and relations with sigma.js (WebGL) over a graphology graph,
// lays them out with ForceAtlas2 in a web worker, and wires hover labels, dragging, click to open
// a profile, and the highlighting of a neighbourhood or of a path between two actors.
//
// Every element with `data-network-map` becomes a map: `data-src` is the JSON to draw
// ({"nodes":[{"id","name","kind"}],"edges":[{"id","from","to","kind"}]}, as the API answers),
// `data-highlight-src` optionally a part of it to highlight (a path), `data-focus` an actor to
// centre on. The page works without this script (it lists the actors); the map is added when
// the page has loaded, and again by the app after it changes the attributes.
(function () {
  'use strict';

  var LIBRARIES = ['/vendor/graphology.umd.min.js', '/vendor/sigma.min.js', '/vendor/graphology-library.min.js'];
  var KIND_COLOURS = {
    cooperative: '#2e7d32', producer_association: '#66bb6a', public_agent: '#5c6bc0', financial_institution: '#f9a825',
    certification_body: '#8e24aa', participatory_guarantee_body: '#ba68c8', social_control_organisation: '#ce93d8',
    retailer: '#e65100', food_industry: '#ff8a65', municipality: '#d84315', consumer_group: '#ffb74d', research: '#00838f',
    technical_assistance: '#0277bd', ngo: '#6d4c41', funder: '#c0ca33'
  };
  var EDGE_COLOURS = {
    supplies: '#a5d6a7', buys_from: '#ffcc80', finances: '#fff59d', certifies: '#e1bee7', provides_technical_assistance: '#90caf9',
    member_of: '#bcaaa4', partners_with: '#cfd8dc', regulates: '#9fa8da', alliance: '#d81b60'
  };
  var FADED = '#e6e6e6';
  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('The map library ' + src + ' could not be loaded.')); };
      document.head.appendChild(s);
    });
  }

  function libraries() {
    if (!loading) {
      loading = LIBRARIES.reduce(function (p, src) { return p.then(function () { return loadScript(src); }); }, Promise.resolve());
    }
    return loading;
  }

  function fetchJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) {
          var message = body && body.error && body.error.message;
          throw new Error(message || 'The network could not be loaded (' + r.status + ').');
        }
        return body;
      });
    });
  }

  // A stable pseudo-random number in [0, 1) from a string, so a map opens the same way twice.
  function hash(s, seed) {
    var h = 2166136261 ^ seed;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 16777619);
    }
    return ((h >>> 0) % 100000) / 100000;
  }

  function setStatus(el, state, message) {
    el.setAttribute('data-state', state);
    var status = el.parentNode && el.parentNode.querySelector('[data-map-status]');
    if (status) status.textContent = message || '';
  }

  function build(data) {
    var graph = new graphology.MultiDirectedGraph();
    var kinds = Object.keys(KIND_COLOURS);
    data.nodes.forEach(function (n) {
      // Actors of a kind start near each other, on a circle of kinds; the layout takes it from there.
      var k = kinds.indexOf(n.kind);
      var angle = (k < 0 ? hash(n.kind, 7) * kinds.length : k) / kinds.length * 2 * Math.PI;
      var r = 100 + 40 * hash(n.id, 1);
      graph.mergeNode(n.id, {
        label: n.name, kind: n.kind,
        x: Math.cos(angle) * r + 30 * (hash(n.id, 2) - 0.5),
        y: Math.sin(angle) * r + 30 * (hash(n.id, 3) - 0.5),
        color: KIND_COLOURS[n.kind] || '#757575', size: 3
      });
    });
    data.edges.forEach(function (e) {
      if (graph.hasNode(e.from) && graph.hasNode(e.to) && !graph.hasEdge(e.id)) {
        graph.addDirectedEdgeWithKey(e.id, e.from, e.to, {
          kind: e.kind, color: EDGE_COLOURS[e.kind] || '#cfd8dc', size: e.kind === 'alliance' ? 3 : 1
        });
      }
    });
    graph.forEachNode(function (id) {
      graph.setNodeAttribute(id, 'size', 3 + 1.6 * Math.sqrt(graph.degree(id)));
    });
    return graph;
  }

  function unmount(el) {
    var m = el.__mutiraoMap;
    if (!m) return;
    if (m.layout) m.layout.kill();
    if (m.timer) clearTimeout(m.timer);
    if (m.renderer) m.renderer.kill();
    el.__mutiraoMap = null;
  }

  function draw(el, data, highlight) {
    var graph = build(data);
    var lit = null;
    if (highlight) {
      lit = { nodes: new Set(highlight.nodes.map(function (n) { return n.id; })), edges: new Set(highlight.edges.map(function (e) { return e.id; })) };
    }
    var state = { hovered: null, neighbours: null, dragged: null, dragging: false, panning: false };
    var big = graph.size > 5000 || graph.order > 2000;
    var renderer = new Sigma(graph, el, {
      // Arrows cost more to draw than lines: a large map draws lines, and hides its relations
      // while it is dragged or zoomed, so moving it stays smooth.
      defaultEdgeType: big ? 'line' : 'arrow',
      hideEdgesOnMove: big,
      hideLabelsOnMove: big,
      labelRenderedSizeThreshold: 9,
      labelDensity: 0.5,
      zIndex: true,
      minCameraRatio: 0.02,
      maxCameraRatio: 8,
      nodeReducer: function (id, attrs) {
        var res = Object.assign({}, attrs);
        if (lit && !lit.nodes.has(id)) {
          res.color = FADED;
          res.label = '';
        } else if (lit) {
          res.highlighted = true;
          res.forceLabel = true;
          res.zIndex = 2;
        }
        if (state.neighbours && id !== state.hovered && !state.neighbours.has(id)) {
          res.color = FADED;
          res.label = '';
        }
        if (id === state.hovered) {
          res.highlighted = true;
          res.zIndex = 3;
        }
        return res;
      },
      edgeReducer: function (id, attrs) {
        var res = Object.assign({}, attrs);
        if (lit && !lit.edges.has(id)) res.color = FADED;
        if (lit && lit.edges.has(id)) {
          res.size = 4;
          res.color = '#d81b60';
          res.zIndex = 2;
        }
        if (state.hovered && !graph.hasExtremity(id, state.hovered)) res.hidden = true;
        // A large map shows its relations once its actors have settled (drawing them at every
        // step of the layout is slow without a graphics card).
        if (big && m && m.layout && m.layout.isRunning()) res.hidden = true;
        return res;
      }
    });
    var m = { renderer: renderer, graph: graph, layout: null, timer: null, stop: stopLayout };
    // Stops the layout; a large map then draws its relations, at once or (when a pan starts)
    // once the map is released.
    function stopLayout(later) {
      if (!m.layout || !m.layout.isRunning()) return;
      m.layout.stop();
      if (!big) return;
      if (later) m.relationsPending = true;
      else renderer.refresh();
    }
    el.__mutiraoMap = m;

    // Hovering redraws every actor and relation (the others fade): not while the map is being
    // moved, when the pointer crosses many actors and each would cost a whole redraw.
    renderer.on('enterNode', function (e) {
      if (state.panning) return;
      state.hovered = e.node;
      state.neighbours = new Set(graph.neighbors(e.node));
      el.style.cursor = 'pointer';
      renderer.refresh({ skipIndexation: true });
    });
    renderer.on('leaveNode', function () {
      if (!state.hovered) return;
      state.hovered = null;
      state.neighbours = null;
      el.style.cursor = '';
      renderer.refresh({ skipIndexation: true });
    });
    // Moving the map stops the layout: the reader has started looking.
    renderer.on('downStage', function (e) {
      state.panning = true;
      stopLayout(true);
      if (big) state.pan = { x: e.event.x, y: e.event.y, dx: 0, dy: 0 };
    });
    // Drag a node to move it; a click without a drag opens its profile.
    renderer.on('downNode', function (e) {
      state.dragged = e.node;
      state.dragging = false;
      stopLayout();
      if (!renderer.getCustomBBox()) renderer.setCustomBBox(renderer.getBBox());
    });
    // A large map is panned as a picture: its layers move with the pointer (a CSS transform the
    // browser composes without drawing anything) and the map is drawn again once, where it was
    // released. Drawing thousands of actors each frame is too slow without a graphics card.
    function layers(transform) {
      el.querySelectorAll('canvas').forEach(function (c) {
        if (!c.classList.contains('sigma-mouse')) c.style.transform = transform;
      });
    }
    renderer.getMouseCaptor().on('mousemovebody', function (e) {
      if (state.pan && !state.dragged) {
        state.pan.dx = e.x - state.pan.x;
        state.pan.dy = e.y - state.pan.y;
        layers('translate(' + state.pan.dx + 'px,' + state.pan.dy + 'px)');
        e.preventSigmaDefault();
        return;
      }
      if (!state.dragged) return;
      state.dragging = true;
      var pos = renderer.viewportToGraph(e);
      graph.setNodeAttribute(state.dragged, 'x', pos.x);
      graph.setNodeAttribute(state.dragged, 'y', pos.y);
      e.preventSigmaDefault();
      e.original.preventDefault();
      e.original.stopPropagation();
    });
    renderer.getMouseCaptor().on('mouseup', function () {
      state.dragged = null;
      state.panning = false;
      var pan = state.pan;
      state.pan = null;
      if (!pan) return;
      layers('');
      if (m.relationsPending) {
        m.relationsPending = false;
        renderer.refresh();
      }
      if (pan.dx || pan.dy) {
        var from = renderer.viewportToFramedGraph({ x: pan.x, y: pan.y });
        var to = renderer.viewportToFramedGraph({ x: pan.x + pan.dx, y: pan.y + pan.dy });
        var camera = renderer.getCamera();
        var at = camera.getState();
        camera.setState({ x: at.x + from.x - to.x, y: at.y + from.y - to.y });
        // The click that ends a pan does not open the actor under the pointer.
        state.dragging = true;
        setTimeout(function () { state.dragging = false; }, 0);
      }
    });
    renderer.on('clickNode', function (e) {
      if (state.dragging) {
        state.dragging = false;
        return;
      }
      var base = el.getAttribute('data-profile-base') || '/network/actors/';
      window.location.assign(base + encodeURIComponent(e.node));
    });

    // ForceAtlas2 in a worker for a few seconds (longer for big graphs), then still.
    if (graph.order > 1 && window.graphologyLibrary && graphologyLibrary.FA2Layout) {
      var settings = graphologyLibrary.layoutForceAtlas2.inferSettings(graph);
      settings.barnesHutOptimize = graph.order > 500;
      m.layout = new graphologyLibrary.FA2Layout(graph, { settings: settings });
      m.layout.start();
      setStatus(el, 'layout', '');
      m.timer = setTimeout(function () {
        stopLayout();
        setStatus(el, 'ready', '');
        var focus = el.getAttribute('data-focus');
        if (focus && graph.hasNode(focus)) centreOn(renderer, focus);
      }, Math.min(6000, 1500 + graph.order * 2));
    } else {
      setStatus(el, 'ready', '');
    }
    return m;
  }

  function centreOn(renderer, id) {
    var pos = renderer.getNodeDisplayData(id);
    if (pos) renderer.getCamera().animate({ x: pos.x, y: pos.y, ratio: 0.5 }, { duration: 300 });
  }

  function mount(el) {
    var src = el.getAttribute('data-src');
    var highlightSrc = el.getAttribute('data-highlight-src') || '';
    var key = src + '|' + highlightSrc;
    // Mounted, or being mounted, with these attributes already (the page's script and the app
    // after hydrating both ask): once is enough. Two maps on one element would both draw.
    if (!src || el.__mutiraoMapKey === key) return;
    unmount(el);
    el.__mutiraoMapKey = key;
    var mounting = {};
    el.__mutiraoMapMounting = mounting;
    setStatus(el, 'loading', 'Loading the map…');
    var highlight = highlightSrc ? fetchJson(highlightSrc).catch(function () { return null; }) : Promise.resolve(null);
    // How long each step took, for the benchmark (data-timing, in ms since mounting).
    var t0 = performance.now();
    var timing = {};
    var step = function (name) { return function (v) { timing[name] = Math.round(performance.now() - t0); return v; }; };
    Promise.all([libraries().then(step('libraries')), fetchJson(src).then(step('data')), highlight])
      .then(function (all) {
        if (el.__mutiraoMapMounting !== mounting) return; // mounted again meanwhile
        var data = all[1];
        if (!data.nodes || data.nodes.length === 0) {
          setStatus(el, 'empty', 'No organisation to show with these filters.');
          return;
        }
        draw(el, data, all[2]);
        step('drawn')();
        el.setAttribute('data-timing', JSON.stringify(timing));
        el.setAttribute('data-nodes', String(data.nodes.length));
        el.setAttribute('data-edges', String(data.edges.length));
      })
      .catch(function (err) {
        if (el.__mutiraoMapMounting !== mounting) return;
        el.__mutiraoMapKey = null; // a later mount tries again
        setStatus(el, 'error', err.message);
      });
  }

  function mountAll() {
    document.querySelectorAll('[data-network-map]').forEach(mount);
  }

  window.MutiraoMap = {
    mount: mount,
    mountAll: mountAll,
    // Where an actor is drawn, in page coordinates (for tests and keyboard helpers).
    position: function (el, id) {
      var m = el.__mutiraoMap;
      if (!m || !m.graph.hasNode(id)) return null;
      var a = m.graph.getNodeAttributes(id);
      var p = m.renderer.graphToViewport({ x: a.x, y: a.y });
      var box = el.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
    stopLayout: function (el) {
      var m = el.__mutiraoMap;
      if (m) m.stop();
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
