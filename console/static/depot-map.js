// The depots' map (Leaflet, vendored): one marker per depot, fitted to their bounds. Tiles only when the
// deployment names a tile server (data-tile-url); without one the markers stand on a plain ground, each
// labelled with its code, so the map still says where the depots lie relative to each other (offline).
(function () {
  "use strict";

  function popup(depot) {
    // Built as elements, never as HTML text: a depot's name is whatever someone typed.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = depot.url;
    link.textContent = depot.code + " " + depot.name;
    box.appendChild(link);
    var level = document.createElement("div");
    level.className = "map-popup-level";
    level.textContent = depot.level;
    box.appendChild(level);
    return box;
  }

  function notice(map, text) {
    var control = L.control({position: "topright"});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "map-notice");
      box.textContent = text;
      return box;
    };
    control.addTo(map);
  }

  function draw(map, element, depots) {
    if (!depots.length) {
      map.setView([35, 105], 3);
      notice(map, element.dataset.emptyText || "");
      return;
    }
    var bounds = [];
    var labelled = depots.length <= 40;  // past that the codes would cover each other
    depots.forEach(function (depot) {
      var point = [depot.lat, depot.lon];
      bounds.push(point);
      var marker = L.circleMarker(point, {
        radius: 8, weight: 2, color: depot.active ? "#b3261e" : "#5d6b7a",
        fillColor: depot.active ? "#e4574d" : "#b8c1cc", fillOpacity: 0.9,
        className: depot.active ? "depot-marker" : "depot-marker depot-marker-retired"
      }).addTo(map);
      marker.bindPopup(popup(depot));
      if (labelled) {
        // An element, not a string: Leaflet puts a string in as HTML, and a depot's code is whatever was typed.
        var label = document.createElement("span");
        label.textContent = depot.code;
        marker.bindTooltip(label, {permanent: true, direction: "right", offset: [8, 0], className: "depot-label"});
      }
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 12);
    } else {
      map.fitBounds(bounds, {padding: [40, 40], maxZoom: 13});
    }
  }

  function start(element) {
    var tiles = element.dataset.tileUrl;
    // Shown only where scripts run; a browser without them reads the words standing in for it.
    element.hidden = false;
    var fallback = element.parentNode.querySelector("[data-map-fallback]");
    if (fallback) { fallback.hidden = true; }
    var map = L.map(element, {attributionControl: Boolean(tiles), scrollWheelZoom: false});
    if (tiles) {
      L.tileLayer(tiles, {attribution: element.dataset.attribution || "", maxZoom: 18}).addTo(map);
    } else {
      element.classList.add("map-no-tiles");
    }
    L.control.scale({imperial: false}).addTo(map);
    if (element.dataset.markers) {
      draw(map, element, JSON.parse(element.dataset.markers));
      return;
    }
    fetch(element.dataset.markersUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (answer) {
        if (!answer.ok) { throw new Error("HTTP " + answer.status); }
        return answer.json();
      })
      .then(function (body) { draw(map, element, body.depots); })
      .catch(function () {
        map.setView([35, 105], 3);
        notice(map, element.dataset.failedText || "");
      });
  }

  if (window.L) {
    document.querySelectorAll("[data-depot-map]").forEach(start);
  }
})();
