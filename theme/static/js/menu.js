/* The main menu (partials/header.html).
 *
 * Without JavaScript the menu already works: on a phone its <details> opens and
 * closes; on wide screens the list shows in the header row (main.css). This
 * script adds two things:
 * - Escape closes an open menu and puts focus back on its button;
 * - on wide screens, items that do not fit the row move under "More" (a
 *   <details> at the end of the row), so the header stays one row. Moved
 *   links keep their aria-current.
 * base.html loads it in <head> with `defer blocking="render"`: the browser paints
 * nothing before it has run, so the row is never seen wrapping.
 */
(function () {
  "use strict";

  var nav = document.querySelector(".main-menu");
  var list = nav && nav.querySelector(".main-menu__list");
  if (!list || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 48rem)");
  var more = null;

  function closeOnEscape(details) {
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  }

  function makeMore() {
    var item = document.createElement("li");
    item.className = "main-menu__more";
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = nav.getAttribute("data-more");
    details.appendChild(summary);
    details.appendChild(document.createElement("ul"));
    item.appendChild(details);
    closeOnEscape(details);
    document.addEventListener("click", function (event) {
      if (details.open && !details.contains(event.target)) { details.open = false; }
    });
    return item;
  }

  function wraps() {
    var items = list.children;
    var last = items[items.length - 1];
    return last.offsetTop > items[0].offsetTop;
  }

  function putBack() {
    if (!more.parentNode) { return; }
    var moved = more.querySelector("ul");
    while (moved.firstChild) { list.insertBefore(moved.firstChild, more); }
    list.removeChild(more);
  }

  function fit() {
    more = more || makeMore();
    putBack();
    if (!wide.matches || list.children.length < 2 || !wraps()) { return; }
    var moved = more.querySelector("ul");
    list.appendChild(more);
    while (wraps() && list.children.length > 1) {
      moved.insertBefore(more.previousElementSibling, moved.firstChild);
    }
    var current = moved.querySelector("[aria-current], .is-section");
    more.classList.toggle("is-section", Boolean(current));
  }

  closeOnEscape(nav.querySelector(".main-menu__toggle"));
  fit();
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fit(); });
  });
}());
