/* Pull request page: when the live checks panel (hub.js) leaves "pending",
 * refresh the merge box from the server, so the merge button and the
 * reasons it is refused follow the checks without a reload. */
(function () {
  "use strict";

  const panel = document.querySelector("[data-pr-checks]");
  const box = document.querySelector("[data-merge-box]");
  if (!panel || !box || panel.dataset.state !== "pending") return;

  async function refreshMergeBox() {
    try {
      const response = await fetch(window.location.pathname, { credentials: "same-origin" });
      if (!response.ok) return;
      const html = await response.text();
      const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-merge-box]");
      if (fresh) box.innerHTML = fresh.innerHTML;
    } catch (error) {
      /* the page still works: a reload shows the same */
    }
  }

  const observer = new MutationObserver(() => {
    if (panel.dataset.state !== "pending") {
      observer.disconnect();
      refreshMergeBox();
    }
  });
  observer.observe(panel, { attributes: true, attributeFilter: ["data-state"] });
})();
