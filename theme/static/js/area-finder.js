/* "Which group is mine?": find the district group that covers an area.
 *
 * Reads grupper/omraden.json (written by the grasrot_groups plugin): each
 * district group's areas, streets and postcodes. A postcode anywhere in what
 * was typed ("163 45", "16345", "Storgatan 5, 163 45 Ekdala") is looked up in
 * the groups' postcode ranges; otherwise the text without house number
 * ("Storgatan 5" -> "storgatan") is compared with streets, then areas, folded
 * the same way as the plugin's `fold`: without diacritics, case or extra
 * spaces, so "skarholmen" finds "Skärholmen".
 * The box is in the page from the first paint (nothing moves when this script
 * runs); without JavaScript a <noscript> style hides it and the list of district
 * groups (with their areas, streets and postcodes) answers the same question. An
 * answer asked for before the index has arrived waits for it.
 */
(function () {
  "use strict";

  var box = document.querySelector(".area-finder");
  if (!box) { return; }
  if (!window.fetch) { box.hidden = true; return; }
  var form = box.querySelector("form");
  var input = box.querySelector("input");
  var result = box.querySelector("[role=status]");
  var entries = null;
  var streets = [];
  var postcodes = [];

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function message(name, values) {
    return box.getAttribute("data-msg-" + name).replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] === undefined ? all : values[key];
    });
  }

  function groupLink(entry) {
    var link = document.createElement("a");
    link.href = entry.href;
    link.textContent = entry.title;
    return link;
  }

  /* "{area} belongs to the district group {group}." with {group} as a link. */
  function foundLine(entry) {
    var line = document.createElement("p");
    var parts = message("found", { area: entry.area }).split("{group}");
    line.appendChild(document.createTextNode(parts[0]));
    line.appendChild(groupLink(entry));
    line.appendChild(document.createTextNode(parts.slice(1).join("{group}")));
    return line;
  }

  function byName(list, query) {
    var exact = list.filter(function (e) { return e.key === query; });
    if (exact.length) { return exact; }
    return list.filter(function (e) { return e.key.indexOf(query) !== -1; });
  }

  /* "163 45", "16345" or an address with one in it -> 16345; else null. */
  function postcodeIn(typed) {
    var found = typed.match(/(^|\D)(\d{3})\s?(\d{2})(?!\d)/);
    return found ? parseInt(found[2] + found[3], 10) : null;
  }

  /* "Storgatan 5 B, Ekdala" -> "storgatan": the street without number or town. */
  function streetIn(typed) {
    return fold(typed.split(",")[0].replace(/\s+\d+\s*[a-zA-Z]?\s*$/, ""));
  }

  function matches(typed) {
    var code = postcodeIn(typed);
    if (code !== null) {
      var shown = String(code).slice(0, 3) + " " + String(code).slice(3);
      return postcodes.filter(function (e) { return e.from <= code && code <= e.to; })
        .map(function (e) { return { area: shown, title: e.title, href: e.href }; });
    }
    var street = streetIn(typed);
    var onStreet = street ? streets.filter(function (e) { return e.key === street; }) : [];
    if (onStreet.length) {
      return onStreet.map(function (e) {
        return { area: e.street, title: e.title, href: e.href };
      });
    }
    var areas = byName(entries, fold(typed));
    return areas.length || !street ? areas : byName(entries, street);
  }

  function show(nodes) {
    while (result.firstChild) { result.removeChild(result.firstChild); }
    nodes.forEach(function (node) { result.appendChild(node); });
  }

  function text(line) {
    var paragraph = document.createElement("p");
    paragraph.textContent = line;
    return paragraph;
  }

  function answer() {
    var typed = input.value.trim();
    var query = fold(typed);
    if (!query) { show([text(message("empty", {}))]); return; }
    var found = matches(typed);
    if (found.length === 0) {
      show([text(message("none", { query: typed }))]);
    } else if (found.length === 1) {
      show([foundLine(found[0])]);
    } else {
      var list = document.createElement("ul");
      found.forEach(function (entry) {
        var item = document.createElement("li");
        item.appendChild(foundLine(entry));
        list.appendChild(item);
      });
      show([text(message("several", { query: typed })), list]);
    }
  }

  var index = fetch(box.getAttribute("data-index"))
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (data) {
      entries = data.areas;
      streets = data.streets || [];
      postcodes = data.postcodes || [];
    });
  index.catch(function () { box.hidden = true; /* the plain list still works */ });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    index.then(answer);
  });
}());
