/* The explorable network: zoom to what a search found or a tap opened.
   Cytoscape.js (inside dash-cytoscape) keeps its instance on the picture's element as _cyreg.cy. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  tiegraph: {
    fit: function (graph) {
      // Fit once the picture has its size: laid out before its box was sized, the preset layout's fit is off.
      let tries = 0;
      const fitNow = function () {
        const el = document.getElementById(graph);
        const cy = el && el._cyreg && el._cyreg.cy;
        if (!cy || !el.clientWidth || !el.clientHeight || !cy.nodes().length) {
          if (tries++ < 100) {
            setTimeout(fitNow, 50);
          }
          return;
        }
        cy.resize();
        cy.fit(undefined, 30);
      };
      fitNow();
      return graph;
    },
    focus: function (focus) {
      if (!focus || !focus.ids || !focus.ids.length) {
        return window.dash_clientside.no_update;
      }
      let tries = 0;
      const zoomTo = function () {
        const el = document.getElementById(focus.graph);
        const cy = el && el._cyreg && el._cyreg.cy;
        const eles = cy ? cy.nodes().filter((n) => focus.ids.includes(n.id())) : null;
        if (!eles || eles.length < focus.ids.length) {
          if (tries++ < 100) {
            setTimeout(zoomTo, 50); // the new elements reach Cytoscape after this callback returns
          }
          return;
        }
        const bb = eles.boundingBox({ includeLabels: false });
        const w = cy.width(), h = cy.height(), pad = 60;
        const zoom = Math.min(2.5, (w - 2 * pad) / Math.max(bb.w, 1), (h - 2 * pad) / Math.max(bb.h, 1));
        cy.animate({
          zoom: zoom,
          pan: { x: w / 2 - zoom * (bb.x1 + bb.w / 2), y: h / 2 - zoom * (bb.y1 + bb.h / 2) },
          duration: 250,
        });
      };
      zoomTo();
      return focus.ids.join(",");
    },
  },
});
