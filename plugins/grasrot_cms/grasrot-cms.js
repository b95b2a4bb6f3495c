/* Gräsrot's additions to Decap CMS, loaded before decap-cms.js by admin/index.html.
 *
 * - the "grasrot-markdown" format: reads Pelican's `Key: value` headers and YAML
 *   front matter (the kit reads both), writes YAML front matter;
 * - before saving: drops empty fields (an untouched "Repeats" block must not
 *   become `repeat: {}`) and refuses a picture without its description;
 * - the preview pane uses the site's own CSS and colours.
 */
(function () {
  "use strict";
  window.CMS_MANUAL_INIT = true;
  var script = document.getElementById("grasrot-cms");
  var types = JSON.parse(script.dataset.types || "{}");
  var YAML_OPTIONS = { schema: window.jsyaml.CORE_SCHEMA };
  var HEADER_LINE = /^([A-Za-z0-9_][A-Za-z0-9_ -]*):\s?(.*)$/;
  var CONTINUATION = /^(?: {4,}|\t)(.*)$/;

  function typed(key, value) {
    var kind = types[key];
    if (kind === "list") {
      return value.split(",").map(function (item) { return item.trim(); })
        .filter(Boolean);
    }
    if (kind === "int" && /^-?\d+$/.test(value.trim())) return parseInt(value, 10);
    if (kind === "bool") return ["true", "yes", "ja", "1"].indexOf(value.trim().toLowerCase()) >= 0;
    return value;
  }

  function lowerKeys(data) {
    var result = {};
    Object.keys(data || {}).forEach(function (key) {
      result[key.trim().toLowerCase()] = data[key];
    });
    return result;
  }

  function fromFrontMatter(lines) {
    for (var end = 1; end < lines.length; end++) {
      var line = lines[end].trim();
      if (line === "---" || line === "...") {
        var data = lowerKeys(window.jsyaml.load(lines.slice(1, end).join("\n"), YAML_OPTIONS));
        data.body = lines.slice(end + 1).join("\n").replace(/^\n/, "");
        return data;
      }
    }
    return { body: lines.join("\n") };
  }

  function fromPelicanHeader(lines) {
    var data = {};
    var last = null;
    var index = 0;
    for (; index < lines.length; index++) {
      var line = lines[index];
      if (!line.trim()) { index++; break; }
      var more = CONTINUATION.exec(line);
      if (more && last) { data[last] += "\n" + more[1]; continue; }
      var match = HEADER_LINE.exec(line);
      if (!match) break;
      last = match[1].trim().toLowerCase();
      data[last] = match[2].trim();
    }
    Object.keys(data).forEach(function (key) { data[key] = typed(key, data[key]); });
    data.body = lines.slice(index).join("\n");
    return data;
  }

  var markdownFormat = {
    fromFile: function (content) {
      var lines = content.replace(/^\uFEFF/, "").split(/\r?\n/);
      return lines[0].trim() === "---" ? fromFrontMatter(lines) : fromPelicanHeader(lines);
    },
    toFile: function (data, sortedKeys) {
      var fields = {};
      var keys = (sortedKeys || []).concat(Object.keys(data));
      keys.forEach(function (key) {
        if (key !== "body" && data[key] !== undefined && !(key in fields)) {
          fields[key] = data[key];
        }
      });
      var front = window.jsyaml.dump(fields, { schema: window.jsyaml.CORE_SCHEMA,
                                              lineWidth: -1, noRefs: true });
      var body = data.body || "";
      return "---\n" + front + "---\n\n" + body.replace(/\s*$/, "\n");
    },
  };

  function isEmpty(value) {
    return value === undefined || value === null || value === "" ||
      (typeof value === "object" && typeof value.size === "number" && value.size === 0);
  }

  function withoutEmpty(value) {
    if (value && typeof value === "object" && typeof value.filter === "function" &&
        typeof value.size === "number") {
      return value.map(withoutEmpty).filter(function (item) { return !isEmpty(item); });
    }
    return value;
  }

  function beforeSave(event) {
    var data = withoutEmpty(event.entry.get("data"));
    var image = data.get("image");
    var alt = data.get("image_alt");
    if (image && !(alt && String(alt).trim())) {
      throw new Error(script.dataset.altMissing);
    }
    return data;
  }

  window.grasrotStartEditor = function () {
    var CMS = window.CMS;
    CMS.registerCustomFormat("grasrot-markdown", "md", markdownFormat);
    CMS.registerPreviewStyle(new URL(script.dataset.previewCss, location.href).href);
    if (script.dataset.brandCss) {
      CMS.registerPreviewStyle(script.dataset.brandCss, { raw: true });
    }
    CMS.registerEventListener({ name: "preSave", handler: beforeSave });
    CMS.init();
  };
  // decap-cms.js is the next script of the page; the editor starts once it has run
  // (no inline script: the page's policy allows scripts from this folder only).
  document.addEventListener("DOMContentLoaded", window.grasrotStartEditor);
})();
