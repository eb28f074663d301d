// The public directory: the map (Leaflet, vendored) and small htmx helpers.
// Everything here is an enhancement: without JavaScript, or without map tiles,
// the search form, the result list and the addresses work as they are.
(function () {
  "use strict";
  // htmx may bring this script again with a restored page; one set of listeners is enough.
  if (window.tsunaguDirectory) { return; }
  window.tsunaguDirectory = true;

  // -- the map -------------------------------------------------------------------------------------
  var maps = [];

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function popupContent(place) {
    var box = document.createElement("div");
    var title = document.createElement(place.url ? "a" : "strong");
    title.textContent = place.service || place.place;
    if (place.url) { title.href = place.url; }
    box.appendChild(title);
    [place.service ? place.place : "", place.address].forEach(function (line) {
      if (line) {
        var p = document.createElement("p");
        p.textContent = line;
        box.appendChild(p);
      }
    });
    return box;
  }

  function setMarkers(entry, places) {
    if (entry.removed) { return; }
    entry.layer.clearLayers();
    var bounds = [];
    places.forEach(function (place) {
      var latlng = [place.lat, place.lng];
      if (!isFinite(latlng[0]) || !isFinite(latlng[1])) { return; }
      var label = place.service ? place.service + " — " + place.place : place.place;
      L.marker(latlng, { icon: entry.icon, title: label, alt: label, keyboard: true })
        .bindPopup(popupContent(place))
        .addTo(entry.layer);
      bounds.push(latlng);
    });
    // No public place among these results: nothing to show, the list says it all.
    entry.element.hidden = bounds.length === 0;
    if (!bounds.length) { return; }
    entry.map.invalidateSize({ animate: false });
    if (bounds.length === 1) {
      entry.map.setView(bounds[0], 16, { animate: false });
    } else {
      entry.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16, animate: false });
    }
  }

  function markersInPage() {
    return Array.prototype.map.call(document.querySelectorAll("[data-marker]"), function (el) {
      return {
        lat: Number(el.getAttribute("data-lat")),
        lng: Number(el.getAttribute("data-lng")),
        place: el.getAttribute("data-name") || "",
        address: el.getAttribute("data-address") || "",
      };
    });
  }

  function loadResultMarkers(entry) {
    var source = document.querySelector("#results [data-map-url]");
    if (!source) { entry.element.hidden = true; return; }
    var url = source.getAttribute("data-map-url");
    // htmx reports a swap once per out-of-band part too: fetch each search once.
    if (url === entry.url) { return; }
    entry.url = url;
    var ticket = ++entry.ticket;
    fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (data) {
        if (ticket !== entry.ticket) { return; } // a newer search is on its way
        setMarkers(entry, (data.features || []).map(function (feature) {
          var p = feature.properties || {};
          return {
            lat: feature.geometry.coordinates[1],
            lng: feature.geometry.coordinates[0],
            service: p.service, place: p.place, address: p.address, url: p.url,
          };
        }));
      })
      .catch(function () { entry.element.hidden = true; });
  }

  function initMap(element) {
    var canvas = element.querySelector("[data-map-canvas]");
    var tileUrl = element.getAttribute("data-tile-url");
    if (!window.L || !canvas || !tileUrl) { return; }
    // The map stays hidden until it has a place to show (setMarkers).
    var status = element.querySelector("[data-map-status]");
    var map = L.map(canvas, { scrollWheelZoom: false, zoomControl: false });
    L.control.zoom({
      zoomInTitle: element.getAttribute("data-zoom-in") || "Zoom in",
      zoomOutTitle: element.getAttribute("data-zoom-out") || "Zoom out",
    }).addTo(map);
    var tiles = L.tileLayer(tileUrl, {
      maxZoom: 18,
      attribution: escapeHtml(element.getAttribute("data-tile-attribution")),
    });
    var warned = false;
    tiles.on("tileerror", function () {
      if (!warned && status) {
        warned = true;
        status.textContent = element.getAttribute("data-tiles-failed") || "";
      }
    });
    tiles.addTo(map);
    var entry = {
      element: element,
      map: map,
      layer: L.layerGroup().addTo(map),
      ticket: 0,
      source: element.getAttribute("data-map-source") || "results",
      icon: L.icon({
        iconUrl: element.getAttribute("data-marker-icon"),
        iconRetinaUrl: element.getAttribute("data-marker-icon-2x"),
        shadowUrl: element.getAttribute("data-marker-shadow"),
        iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41],
      }),
    };
    maps.push(entry);
    if (entry.source === "markers") {
      setMarkers(entry, markersInPage());
    } else {
      loadResultMarkers(entry);
    }
  }

  // -- htmx helpers --------------------------------------------------------------------------------
  // Japanese input: no search for each keystroke of an IME composition, one when it is
  // committed (the last input event of a composition still says isComposing).
  document.addEventListener("input", function (event) {
    if (event.isComposing && event.target && event.target.id === "id_q") { event.stopPropagation(); }
  }, true);
  document.addEventListener("compositionend", function (event) {
    if (event.target && event.target.id === "id_q") {
      event.target.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  // Leave empty fields out of the URL: /directory/?q=介護 rather than ?q=介護&area=&…
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.id !== "directory-search" || !event.detail.formData) { return; }
    var data = event.detail.formData;
    Array.from(new Set(Array.from(data.keys()))).forEach(function (name) {
      if (data.getAll(name).every(function (value) { return value === ""; })) { data.delete(name); }
    });
  });

  // Fields whose message slot (…-errors) has a message are marked invalid, and back again.
  function markInvalidFields() {
    document.querySelectorAll(".directory-search .field-errors").forEach(function (slot) {
      var name = slot.id.replace(/-errors$/, "");
      var input = document.getElementById("id_" + name);
      if (!input) { return; }
      if (slot.textContent.trim()) { input.setAttribute("aria-invalid", "true"); }
      else { input.removeAttribute("aria-invalid"); }
    });
  }

  // base.html's language switch returns to the page it was rendered on; after an htmx
  // search the address has changed, so point it at the current one.
  function updateLanguageNext() {
    document.querySelectorAll(".language-form input[name=next]").forEach(function (input) {
      input.value = window.location.pathname + window.location.search;
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "results") { return; }
    markInvalidFields();
    maps.forEach(function (entry) { if (entry.source === "results") { loadResultMarkers(entry); } });
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (trigger && trigger.hasAttribute("data-focus-results")) {
      event.detail.target.focus();
    }
  });
  document.addEventListener("htmx:pushedIntoHistory", updateLanguageNext);
  window.addEventListener("popstate", function () { setTimeout(updateLanguageNext, 0); });
  // Back and forward restore a copy of the page: the old map is a dead copy, start again.
  document.addEventListener("htmx:historyRestore", function () {
    maps.forEach(function (entry) {
      entry.removed = true;
      try { entry.map.remove(); } catch (error) { /* detached already */ }
    });
    maps = [];
    document.querySelectorAll("[data-map]").forEach(function (element) {
      var canvas = element.querySelector("[data-map-canvas]");
      if (canvas) {
        canvas.innerHTML = "";
        canvas.className = canvas.className.split(" ").filter(function (name) {
          return name.indexOf("leaflet-") !== 0;
        }).join(" ");
      }
      initMap(element);
    });
    updateLanguageNext();
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(initMap);
  });
})();
