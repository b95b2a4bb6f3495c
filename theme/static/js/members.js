/* Open a protected page: the same steps as plugins/grasrot_members/crypto.py.
 *
 * The page carries one payload per access level (JSON in #members-payload):
 * PBKDF2-SHA256 over the password and the payload's salt gives the
 * key-encryption key, which unwraps the level's content key (AES-256-GCM);
 * the content key opens the page. The associated data is the level and this
 * page's own path, so a ciphertext copied into another page does not open.
 *
 * "Remember me" keeps the unwrapped content key (never the password): in
 * sessionStorage by default, in localStorage when ticked. "Log out" forgets it.
 * No dependencies, no requests except the site's own encrypted files.
 */
(function () {
  "use strict";

  var LABEL = "grasrot-members/1";
  var lock = document.querySelector(".members-lock");
  var source = document.getElementById("members-payload");
  var content = document.querySelector(".members-content");
  if (!lock || !source || !content) { return; }
  var form = lock.querySelector(".members-form");
  var payloads = JSON.parse(source.textContent || "[]");
  var encoder = new TextEncoder();
  var rootUrl = new URL(lock.getAttribute("data-site-root") || "/", location.href);
  var rootPath = decodeURIComponent(rootUrl.pathname);
  var opened = {};  // level -> content key (CryptoKey)

  function msg(name) { return lock.getAttribute("data-msg-" + name) || ""; }

  function bytes(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function base64(buffer) {
    var view = new Uint8Array(buffer), text = "";
    for (var i = 0; i < view.length; i++) { text += String.fromCharCode(view[i]); }
    return btoa(text);
  }

  function associatedData(level, path) {
    return encoder.encode(LABEL + "\n" + level + "\n" + path);
  }

  /* This page's path under the site root, as the build named it ("protokoll/x/"). */
  function sitePath() {
    var path = decodeURIComponent(location.pathname).replace(/index\.html$/, "");
    if (path.indexOf(rootPath) === 0) { path = path.slice(rootPath.length); }
    return path.replace(/^\/+/, "").normalize("NFC");
  }

  function storageName(level) { return "grasrot-members:" + rootPath + ":" + level; }

  function supported(payload) {
    return payload.v === 1 && payload.cipher === "AES-256-GCM" &&
      payload.kdf === "PBKDF2-HMAC-SHA256" && payload.iterations >= 600000;
  }

  function deriveKek(password, payload) {
    return crypto.subtle.importKey("raw", encoder.encode(password.normalize("NFC")),
      "PBKDF2", false, ["deriveKey"]).then(function (base) {
      return crypto.subtle.deriveKey(
        {name: "PBKDF2", hash: "SHA-256", salt: bytes(payload.salt),
          iterations: payload.iterations},
        base, {name: "AES-GCM", length: 256}, false, ["decrypt"]);
    });
  }

  function unwrap(kek, payload) {
    return crypto.subtle.decrypt(
      {name: "AES-GCM", iv: bytes(payload.wrapIv),
        additionalData: associatedData(payload.level, "#key")},
      kek, bytes(payload.wrappedKey));
  }

  function importKey(raw) {
    return crypto.subtle.importKey("raw", raw, {name: "AES-GCM"}, false, ["decrypt"]);
  }

  function decrypt(key, level, path, iv, data) {
    return crypto.subtle.decrypt(
      {name: "AES-GCM", iv: iv, additionalData: associatedData(level, path)}, key, data);
  }

  function openPayload(key, payload) {
    return decrypt(key, payload.level, sitePath(), bytes(payload.iv), bytes(payload.data))
      .then(function (plain) { return new TextDecoder().decode(plain); });
  }

  /* --- remembered keys ----------------------------------------------------- */

  function remembered(level) {
    var stores = [window.localStorage, window.sessionStorage];
    for (var i = 0; i < stores.length; i++) {
      try {
        var found = JSON.parse(stores[i].getItem(storageName(level)) || "null");
        if (found) { return found; }
      } catch (error) { /* storage off or unreadable: ask for the password */ }
    }
    return null;
  }

  function remember(level, kid, raw, persistent) {
    var value = JSON.stringify({kid: kid, key: base64(raw)});
    try {
      (persistent ? window.localStorage : window.sessionStorage)
        .setItem(storageName(level), value);
    } catch (error) { /* private mode: the page still opens */ }
  }

  function forget(level) {
    [window.localStorage, window.sessionStorage].forEach(function (store) {
      try { store.removeItem(storageName(level)); } catch (error) { /* nothing stored */ }
    });
  }

  function forgetAll() {
    [window.localStorage, window.sessionStorage].forEach(function (store) {
      try {
        payloads.forEach(function (p) { store.removeItem(storageName(p.level)); });
        for (var i = store.length - 1; i >= 0; i--) {
          var name = store.key(i);
          if (name && name.indexOf("grasrot-members:" + rootPath + ":") === 0) {
            store.removeItem(name);
          }
        }
      } catch (error) { /* nothing stored */ }
    });
  }

  /* --- showing the page ------------------------------------------------------ */

  function show(payload, html, focus) {
    var part = document.createElement("div");
    part.className = "members-opened";
    part.setAttribute("data-level", payload.level);
    part.innerHTML = html;
    addLogout();
    content.appendChild(part);
    loadImages(part, payload.level);
    var locked = payloads.filter(function (p) { return !opened[p.level]; });
    if (!locked.length) {
      lock.hidden = true;
    } else if (!lock.classList.contains("members-more")) {
      // The index with one level open: the form stays for the other levels.
      lock.classList.add("members-more");
      lock.querySelector(".members-intro").textContent = msg("more");
    }
    if (focus) {
      var heading = part.querySelector("h1, h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  }

  function addLogout() {
    if (content.querySelector(".members-bar")) { return; }
    var bar = document.createElement("p");
    bar.className = "members-bar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "members-logout";
    button.textContent = msg("logout");
    button.addEventListener("click", function () {
      forgetAll();
      location.reload();
    });
    bar.appendChild(button);
    content.insertBefore(bar, content.firstChild);
  }

  function tryKey(payload, raw, focus) {
    return importKey(raw).then(function (key) {
      return openPayload(key, payload).then(function (html) {
        opened[payload.level] = key;
        show(payload, html, focus);
        return true;
      });
    });
  }

  function openRemembered() {
    payloads.forEach(function (payload) {
      var found = remembered(payload.level);
      if (!found) { return; }
      if (found.kid !== payload.kid) { forget(payload.level); return; }  // new password
      tryKey(payload, bytes(found.key), true).catch(function () {
        forget(payload.level);  // a damaged or stale key: ask again
      });
    });
  }

  /* --- the form ------------------------------------------------------------- */

  function setBusy(busy) {
    form.querySelector("button").disabled = busy;
    form.querySelector("input[type=password]").readOnly = busy;
    form.querySelector(".members-spinner").hidden = !busy;
    form.querySelector(".members-status-text").textContent = busy ? msg("working") : "";
  }

  function showError(visible) {
    var error = form.querySelector(".members-error");
    var input = form.querySelector("input[type=password]");
    error.hidden = !visible;
    if (visible) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
      input.select();
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  function unlockWith(password, persistent) {
    var locked = payloads.filter(function (p) { return !opened[p.level] && supported(p); });
    return Promise.all(locked.map(function (payload) {
      return deriveKek(password, payload)
        .then(function (kek) { return unwrap(kek, payload); })
        .then(function (raw) {
          return tryKey(payload, raw, true).then(function () {
            remember(payload.level, payload.kid, raw, persistent);
            return true;
          });
        })
        .catch(function () { return false; });
    })).then(function (results) { return results.indexOf(true) !== -1; });
  }

  function onSubmit(event) {
    event.preventDefault();
    var input = form.querySelector("input[type=password]");
    if (!input.value) { showError(true); return; }
    showError(false);
    setBusy(true);
    unlockWith(input.value, form.querySelector("input[type=checkbox]").checked)
      .then(function (ok) {
        setBusy(false);
        if (ok) { input.value = ""; } else { showError(true); }
      });
  }

  /* --- attachments ------------------------------------------------------------ */

  function levelOf(element) {
    var part = element.closest(".members-opened");
    return part ? part.getAttribute("data-level") : null;
  }

  function fetchFile(path, level) {
    return fetch(new URL(path, rootUrl).href, {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.arrayBuffer();
      })
      .then(function (buffer) {
        var view = new Uint8Array(buffer);
        var magic = String.fromCharCode(view[0], view[1], view[2], view[3]);
        if (magic !== "GRM1") { throw new Error("not an encrypted file"); }
        return decrypt(opened[level], level, path, view.slice(4, 16), view.slice(16));
      });
  }

  function loadImages(part, level) {
    part.querySelectorAll("img[data-grasrot-src]").forEach(function (image) {
      var path = image.getAttribute("data-grasrot-src");
      fetchFile(path, level).then(function (plain) {
        var blob = new Blob([plain], {type: image.getAttribute("data-grasrot-type")});
        image.src = URL.createObjectURL(blob);
      }).catch(function () { image.alt = image.alt + " (" + msg("file-failed") + ")"; });
    });
  }

  function onFileClick(event) {
    var link = event.target.closest && event.target.closest("a[data-grasrot-file]");
    if (!link) { return; }
    event.preventDefault();
    var note = document.createElement("span");
    note.className = "members-file-status";
    note.setAttribute("role", "status");
    note.textContent = " " + msg("file-working");
    link.after(note);
    fetchFile(link.getAttribute("data-grasrot-file"), levelOf(link)).then(function (plain) {
      var blob = new Blob([plain], {type: link.getAttribute("data-grasrot-type")});
      var download = document.createElement("a");
      download.href = URL.createObjectURL(blob);
      download.download = link.getAttribute("data-grasrot-name") || "bilaga";
      document.body.appendChild(download);
      download.click();
      download.remove();
      note.remove();
      setTimeout(function () { URL.revokeObjectURL(download.href); }, 60000);
    }).catch(function () {
      note.textContent = " " + msg("file-failed");
    });
  }

  if (!window.crypto || !crypto.subtle || !window.TextEncoder) {
    var warning = document.createElement("p");
    warning.className = "members-error";
    warning.textContent = msg("unsupported");
    lock.appendChild(warning);
    if (form) { form.hidden = true; }
    return;
  }
  if (form) {
    form.hidden = false;
    form.addEventListener("submit", onSubmit);
  }
  content.addEventListener("click", onFileClick);
  openRemembered();
}());
