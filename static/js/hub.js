/* Small enhancements of server-rendered pages; every page works without them.
 * - copy buttons ([data-copy]) and snippet tabs ([role=tablist])
 * - fields whose text is selected when focused ([data-select-on-focus])
 * - the like button posts in place ([data-like-form])
 * - a pending checks panel refreshes itself every 2 s ([data-checks-url])
 * - selects that navigate ([data-navigate]), submit their form ([data-autosubmit])
 *   or reveal a block for one value ([data-reveal])
 */
(function () {
  "use strict";

  function csrfToken(form) {
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The account menu closes on Escape and on a click elsewhere -------------------
  for (const menu of document.querySelectorAll("details.user-menu")) {
    document.addEventListener("click", (event) => {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  // Fields selected on focus (a new token, to copy): no inline handler, the
  // Content-Security-Policy runs only the hub's script files ---------------
  document.addEventListener("focusin", (event) => {
    if (event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  // Copy buttons ---------------------------------------------------------------
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const target = document.getElementById(button.dataset.copy);
    if (!target) return;
    const text = "value" in target && target.tagName === "INPUT" ? target.value : target.textContent;
    const label = button.textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch (error) {
      const range = document.createRange();
      range.selectNodeContents(target);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = "Press Ctrl+C";
    }
    setTimeout(() => (button.textContent = label), 1600);
  });

  // Tabs (usage snippets) -------------------------------------------------------
  for (const list of document.querySelectorAll("[role=tablist]")) {
    const tabs = Array.from(list.querySelectorAll("[role=tab]"));
    const select = (tab) => {
      for (const other of tabs) {
        const selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        other.tabIndex = selected ? 0 : -1;
        document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
      }
    };
    list.addEventListener("click", (event) => {
      const tab = event.target.closest("[role=tab]");
      if (tab) select(tab);
    });
    list.addEventListener("keydown", (event) => {
      const index = tabs.indexOf(document.activeElement);
      if (index < 0) return;
      const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      const next = tabs[(index + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  }

  // Like button ------------------------------------------------------------------
  for (const form of document.querySelectorAll("[data-like-form]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      const liked = button.getAttribute("aria-pressed") === "true";
      const body = new FormData(form);
      body.set("action", liked ? "unlike" : "like");
      button.disabled = true;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
        });
        if (!response.ok) throw new Error(String(response.status));
        const data = await response.json();
        button.setAttribute("aria-pressed", String(data.liked));
        form.querySelector("[data-like-label]").textContent = data.liked ? "Liked" : "Like";
        form.querySelector("[data-like-count]").textContent = data.likes;
        const hidden = form.querySelector("input[name=action]");
        if (hidden) hidden.value = data.liked ? "unlike" : "like";
      } catch (error) {
        form.submit();
      } finally {
        button.disabled = false;
      }
    });
  }

  // Live panels (checks, evaluations): re-rendered by the server while pending.
  for (const panel of document.querySelectorAll("[data-checks-url], [data-live-url]")) {
    if (panel.dataset.state !== "pending") continue;
    const url = panel.dataset.checksUrl || panel.dataset.liveUrl;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const data = await response.json();
        panel.innerHTML = data.html;
        panel.dataset.state = data.state;
        if (data.state !== "pending") clearInterval(timer);
      } catch (error) {
        /* a missed poll is retried at the next tick */
      }
    }, 2000);
  }

  // Navigating selects ----------------------------------------------------------
  for (const select of document.querySelectorAll("select[data-navigate]")) {
    select.addEventListener("change", () => {
      const option = select.selectedOptions[0];
      if (option && option.dataset.url) window.location.assign(option.dataset.url);
    });
  }
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  // A select that reveals a block for one value: data-reveal="value:block-id".
  for (const select of document.querySelectorAll("select[data-reveal]")) {
    const [value, id] = select.dataset.reveal.split(":");
    const target = document.getElementById(id);
    if (!target) continue;
    const sync = () => (target.hidden = select.value !== value);
    select.addEventListener("change", sync);
    sync();
  }
  for (const button of document.querySelectorAll("[data-js-hide]")) {
    button.hidden = true;
  }
})();
