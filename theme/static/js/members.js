/* Open a protected page: the same steps as plugins/grasrot_members/crypto.py.
 *
 * The page carries one payload per access level (JSON in #members-payload):
 * PBKDF2-SHA256 over the password and the payload's salt gives the
 * key-encryption key, which unwraps the level's content key (AES-256-GCM);
 * the content key opens the page. The associated data is the level and this
 * page's own path, so a ciphertext copied into another page does not open.
 *
 * Levels nest: a payload's `via` holds, for each higher level, that level's
 * header and this level's content key sealed under the higher content key.
 * So the board's password (or its remembered key) opens members' pages too.
 *
 * Remembered keys (never the password) are non-extractable CryptoKeys in
 * IndexedDB: until the expiry with "Remember me" ticked, else for this tab.
 * data-key-storage says what is allowed: "remember", "session" or "off" (a
 * shared origin: nothing is stored at all). "Log out" forgets them.
 * No dependencies, no requests except the site's own encrypted files.
 */
(function () {
  "use strict";

  var LABEL = "grasrot-members/1";
  var SESSION_HOURS = 12;
  var DAY = 24 * 60 * 60 * 1000;
  var lock = document.querySelector(".members-lock");
  var source = document.getElementById("members-payload");
  var content = document.querySelector(".members-content");
  if (!lock || !source || !content) { return; }
  var form = lock.querySelector(".members-form");
  var payloads = JSON.parse(source.textContent || "[]");
  var encoder = new TextEncoder();
  var rootUrl = new URL(lock.getAttribute("data-site-root") || "/", location.href);
  var rootPath = decodeURIComponent(rootUrl.pathname);
  var storageMode = lock.getAttribute("data-key-storage") || "session";
  var rememberDays = Number(lock.getAttribute("data-remember-days")) || 0;
  var PREFIX = "grasrot-members:" + rootPath + ":";
  var DB_NAME = "grasrot-members:" + rootPath;
  var STORE = "keys";
  var opened = {};  // level -> content key of a payload shown on this page
  var known = {};  // level -> {kid, key}: keys this page has, for `via`

  function msg(name) { return lock.getAttribute("data-msg-" + name) || ""; }

  function bytes(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
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

  function supported(header) {
    return header.v === 1 && header.cipher === "AES-256-GCM" &&
      header.kdf === "PBKDF2-HMAC-SHA256" && header.iterations >= 600000;
  }

  /* --- keys: the raw key bytes never reach this script ----------------------- */

  var KEY_USES = ["decrypt", "unwrapKey"];

  function deriveKek(password, header) {
    return crypto.subtle.importKey("raw", encoder.encode(password.normalize("NFC")),
      "PBKDF2", false, ["deriveKey"]).then(function (base) {
      return crypto.subtle.deriveKey(
        {name: "PBKDF2", hash: "SHA-256", salt: bytes(header.salt),
          iterations: header.iterations},
        base, {name: "AES-GCM", length: 256}, false, ["unwrapKey"]);
    });
  }

  function unwrapWith(wrappingKey, iv, level, path, wrapped) {
    return crypto.subtle.unwrapKey("raw", bytes(wrapped), wrappingKey,
      {name: "AES-GCM", iv: bytes(iv), additionalData: associatedData(level, path)},
      {name: "AES-GCM"}, false, KEY_USES);
  }

  /* A level's content key from its key-encryption key. */
  function levelKey(kek, header) {
    return unwrapWith(kek, header.wrapIv, header.level, "#key", header.wrappedKey);
  }

  /* A lower level's content key from a higher level's content key. */
  function nestedKey(higherKey, nested, level) {
    return unwrapWith(higherKey, nested.keyIv, nested.level, "#key/" + level,
      nested.levelKey);
  }

  function decrypt(key, level, path, iv, data) {
    return crypto.subtle.decrypt(
      {name: "AES-GCM", iv: iv, additionalData: associatedData(level, path)}, key, data);
  }

  function openPayload(key, payload) {
    return decrypt(key, payload.level, sitePath(), bytes(payload.iv), bytes(payload.data))
      .then(function (plain) { return new TextDecoder().decode(plain); });
  }

  /* --- remembered keys (IndexedDB) --------------------------------------------- */

  var databasePromise = null;

  function database() {
    if (storageMode === "off" || !window.indexedDB) { return Promise.resolve(null); }
    if (!databasePromise) {
      databasePromise = new Promise(function (resolve) {
        var request;
        try { request = indexedDB.open(DB_NAME, 1); } catch (error) { resolve(null); return; }
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, {keyPath: "name"});
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = request.onblocked = function () { resolve(null); };
      });
    }
    return databasePromise;
  }

  /* Run `work(store)` in a transaction; resolves with its request's result. */
  function transact(mode, work) {
    return database().then(function (db) {
      if (!db) { return null; }
      return new Promise(function (resolve) {
        var result = null, transaction;
        try { transaction = db.transaction(STORE, mode); } catch (error) { resolve(null); return; }
        var request = work(transaction.objectStore(STORE));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = transaction.onabort = function () { resolve(null); };
      });
    });
  }

  /* This tab's token: a key stored without "Remember me" opens pages in this tab only. */
  function tabToken() {
    var name = PREFIX + "tab";
    try {
      var token = sessionStorage.getItem(name);
      if (!token) {
        var random = crypto.getRandomValues(new Uint8Array(16));
        token = Array.prototype.map.call(random, function (b) {
          return (b + 256).toString(16).slice(1);
        }).join("");
        sessionStorage.setItem(name, token);
      }
      return token;
    } catch (error) { return null; }
  }

  function currentTab() {
    try { return sessionStorage.getItem(PREFIX + "tab"); } catch (error) { return null; }
  }

  function recall(level, kid) {
    return transact("readonly", function (store) { return store.get(PREFIX + level); })
      .then(function (found) {
        if (!found) { return null; }
        if (!(found.expires > Date.now()) || found.kid !== kid) {
          forget(level);  // expired, or the password changed
          return null;
        }
        if (found.session && found.session !== currentTab()) { return null; }  // another tab's
        return found.key;
      });
  }

  function remember(level, kid, key, persistent) {
    if (storageMode === "off") { return Promise.resolve(); }
    var keep = persistent && storageMode === "remember";
    var session = keep ? null : tabToken();
    if (!keep && !session) { return Promise.resolve(); }
    var record = {name: PREFIX + level, level: level, kid: kid, key: key, session: session,
      expires: Date.now() + (keep ? rememberDays * DAY : SESSION_HOURS * 60 * 60 * 1000)};
    return transact("readwrite", function (store) { return store.put(record); });
  }

  function forget(level) {
    return transact("readwrite", function (store) { return store.delete(PREFIX + level); });
  }

  function forgetAll() {
    forgetOldStorage();
    try { sessionStorage.removeItem(PREFIX + "tab"); } catch (error) { /* none */ }
    return transact("readwrite", function (store) { return store.clear(); });
  }

  /* Earlier versions kept raw keys in Web Storage: never leave them there. On a
     shared origin, where nothing may be stored, this site's database goes too. */
  function forgetOldStorage() {
    [window.localStorage, window.sessionStorage].forEach(function (store) {
      try {
        for (var i = store.length - 1; i >= 0; i--) {
          var name = store.key(i);
          if (name && name.indexOf(PREFIX) === 0 && name !== PREFIX + "tab") {
            store.removeItem(name);
          }
        }
      } catch (error) { /* storage off */ }
    });
    if (storageMode === "off" && window.indexedDB) {
      try { indexedDB.deleteDatabase(DB_NAME); } catch (error) { /* nothing stored */ }
    }
  }

  /* --- showing the page ------------------------------------------------------ */

  function show(payload, html, focus) {
    var part = document.createElement("div");
    part.className = "members-opened";
    part.setAttribute("data-level", payload.level);
    part.setAttribute("data-order", String(payloads.indexOf(payload)));
    part.innerHTML = html;
    addLogout();
    var after = Array.prototype.filter.call(content.querySelectorAll(".members-opened"),
      function (other) { return Number(other.getAttribute("data-order")) > payloads.indexOf(payload); });
    content.insertBefore(part, after.length ? after[0] : null);
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
      var heading = content.querySelector(".members-opened h1, .members-opened h2");
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
      forgetAll().then(function () { location.reload(); });
    });
    bar.appendChild(button);
    content.insertBefore(bar, content.firstChild);
  }

  function openWith(payload, key, focus) {
    if (opened[payload.level]) { return Promise.resolve(true); }
    return openPayload(key, payload).then(function (html) {
      if (opened[payload.level]) { return true; }
      opened[payload.level] = key;
      known[payload.level] = {kid: payload.kid, key: key};
      show(payload, html, focus);
      return true;
    });
  }

  /* The payload's key from keys this page or the browser already has. */
  function keyFromMemory(payload) {
    var headers = [payload].concat(payload.via || []);
    return Promise.all(headers.map(function (header) {
      var have = known[header.level];
      if (have && have.kid === header.kid) { return have.key; }
      return recall(header.level, header.kid);
    })).then(function (keys) {
      if (keys[0]) { return keys[0]; }
      for (var i = 1; i < keys.length; i++) {
        if (keys[i]) {
          known[headers[i].level] = {kid: headers[i].kid, key: keys[i]};
          return nestedKey(keys[i], headers[i], payload.level);
        }
      }
      return null;
    });
  }

  function openRemembered() {
    var attempts = payloads.filter(supported).map(function (payload) {
      return keyFromMemory(payload).then(function (key) {
        return key ? openWith(payload, key, true) : null;
      }).catch(function () {
        forget(payload.level);  // a damaged or stale key: ask again
      });
    });
    // Marks the end of the silent attempt, so a reader's script (or a test) can tell
    // "no remembered key" from "not looked yet" without waiting a fixed time.
    Promise.all(attempts).then(function () {
      document.documentElement.setAttribute("data-members-remembered", "checked");
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

  /* Every level's key the password opens: {level: {kid, key}}. One PBKDF2 run
     per level (its salt), however many payloads name it. */
  function keysFromPassword(password) {
    var headers = {};
    payloads.filter(supported).forEach(function (payload) {
      [payload].concat(payload.via || []).forEach(function (header) {
        if (supported(header)) { headers[header.level] = header; }
      });
    });
    var levels = Object.keys(headers);
    return Promise.all(levels.map(function (level) {
      return deriveKek(password, headers[level])
        .then(function (kek) { return levelKey(kek, headers[level]); })
        .then(function (key) { return {kid: headers[level].kid, key: key}; },
          function () { return null; });
    })).then(function (found) {
      var keys = {};
      found.forEach(function (entry, i) { if (entry) { keys[levels[i]] = entry; } });
      return keys;
    });
  }

  /* Open what the password opens; every key it gave is stored before the page
     shows, so a reload right after finds it. */
  function unlockWith(password, persistent) {
    return keysFromPassword(password).then(function (keys) {
      Object.keys(keys).forEach(function (level) { known[level] = keys[level]; });
      var locked = payloads.filter(function (p) { return !opened[p.level] && supported(p); });
      return Promise.all(locked.map(function (payload) {
        return keyFromMemory(payload).then(function (key) {
          if (key && !keys[payload.level]) {  // through a higher level: keep it too
            keys[payload.level] = {kid: payload.kid, key: key};
          }
          return key;
        }).catch(function () { return null; });
      })).then(function (found) {
        var stored = Object.keys(keys).map(function (level) {
          return remember(level, keys[level].kid, keys[level].key, persistent);
        });
        return Promise.all(stored).then(function () {
          return Promise.all(locked.map(function (payload, i) {
            return found[i] ? openWith(payload, found[i], true).catch(function () {
              return false;
            }) : false;
          }));
        });
      });
    }).then(function (results) { return results.indexOf(true) !== -1; });
  }

  function onSubmit(event) {
    event.preventDefault();
    var input = form.querySelector("input[type=password]");
    if (!input.value) { showError(true); return; }
    showError(false);
    setBusy(true);
    var box = form.querySelector("input[type=checkbox]");
    unlockWith(input.value, Boolean(box && box.checked)).then(function (ok) {
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
  if (form) { form.addEventListener("submit", onSubmit); }
  content.addEventListener("click", onFileClick);
  forgetOldStorage();
  openRemembered();
}());
