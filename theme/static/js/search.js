/* The search page: Pagefind's own UI, opened with ?q=… from the header's form.
   Pagefind picks its wording (Swedish or English) from <html lang>. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function") return;
  var query = new URLSearchParams(window.location.search).get("q");
  var ui = new window.PagefindUI({
    element: "#search",
    baseUrl: root.getAttribute("data-base-url") || "/",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: !query,
  });
  // Pagefind's field has only a placeholder; name it by the page's visible heading.
  var field = root.querySelector("input.pagefind-ui__search-input");
  if (field) field.setAttribute("aria-labelledby", root.getAttribute("data-labelled-by"));
  if (query) ui.triggerSearch(query);
})();
