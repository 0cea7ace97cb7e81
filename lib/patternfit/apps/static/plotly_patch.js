(function () {
  if (window.__pfPlotlyPatch) { return; }
  window.__pfPlotlyPatch = true;
  function patch(P) {
    if (!P || P.__pfPatched || typeof P.redraw !== 'function') { return; }
    if (!P.Plots || typeof P.Plots.resize !== 'function') { return; }
    P.__pfPatched = true;
    var redraw = P.redraw;
    P.redraw = function (gd) {
      var el = typeof gd === 'string' ? document.getElementById(gd) : gd;
      if (el && el.closest && el.closest('.pf-chart') && el._fullLayout) {
        return P.Plots.resize(el).then(function () { return el; });
      }
      return redraw.apply(this, arguments);
    };
  }
  if (window.Plotly) { patch(window.Plotly); return; }
  var value;
  try {
    Object.defineProperty(window, 'Plotly', {
      configurable: true, enumerable: true,
      get: function () { return value; },
      set: function (v) { value = v; patch(v); }
    });
  } catch (e) { /* leave plotly as it is */ }
})();
