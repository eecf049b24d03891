/* "Add files": pick or drop files and folders, hash them, stream them to
 * signed upload URLs with progress, then commit (or open a pull request).
 *
 * No file is ever read whole: hashing reads 8 MiB slices in a worker, and
 * each upload is an XHR PUT of the File (or of a slice of it, for multipart
 * uploads), which the browser streams from disk. Nothing is committed until
 * every file is stored; a cancelled or failed upload leaves no commit.
 */
(function () {
  "use strict";

  const root = document.getElementById("uploader");
  if (!root) return;

  const planUrl = root.dataset.planUrl;
  const commitUrl = root.dataset.commitUrl;
  const parent = root.dataset.parent;
  const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const list = document.getElementById("upload-list");
  const dropzone = document.getElementById("dropzone");
  const filesInput = document.getElementById("pick-files");
  const folderInput = document.getElementById("pick-folder");
  const folderField = document.getElementById("id_folder");
  const titleField = document.getElementById("id_title");
  const descriptionField = document.getElementById("id_description");
  const branchField = document.getElementById("id_branch");
  const prField = document.getElementById("id_pr");
  const submit = document.getElementById("upload-submit");
  const cancel = document.getElementById("upload-cancel");
  const overallBar = document.getElementById("overall-progress");
  const overallText = document.getElementById("overall-text");
  const message = document.getElementById("upload-message");
  const CONCURRENCY = 3;
  const PLAN_BATCH = 500;

  /** @type {Array<{file: File, path: string, oid: string|null, hashed: number,
   *   uploaded: number, state: string, row: HTMLElement}>} */
  let items = [];
  let running = false;
  let aborted = false;
  let stopped = false;
  const xhrs = new Set();
  let worker = null;
  let nextHashId = 1;
  let rejectHash = null; // rejects the hash in progress when cancelled

  function formatSize(bytes) {
    const units = ["B", "KB", "MB", "GB", "TB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return (unit ? value.toFixed(value < 10 ? 1 : 0) : value) + " " + units[unit];
  }

  function show(text, kind) {
    message.textContent = text;
    message.className = "notice " + (kind || "");
    message.hidden = !text;
  }

  function repoPath(relative) {
    const folder = (folderField.value || "").trim().replace(/^\/+|\/+$/g, "");
    const clean = relative.replace(/^\/+/, "");
    return folder ? folder + "/" + clean : clean;
  }

  function addFile(file, relative) {
    const path = repoPath(relative || file.name);
    items = items.filter((item) => {
      if (item.path !== path) return true;
      item.row.remove();
      return false;
    });
    const row = document.createElement("li");
    row.innerHTML =
      '<span class="path"></span><span class="size"></span>' +
      '<progress max="100" value="0"></progress>' +
      '<span class="status-cell"><span class="status">Ready</span> ' +
      '<button type="button" class="remove-file" aria-label="Remove">×</button></span>';
    row.querySelector(".path").textContent = path;
    row.querySelector(".size").textContent = formatSize(file.size);
    row.querySelector("progress").setAttribute("aria-label", "Progress of " + path);
    row.querySelector(".remove-file").setAttribute("aria-label", "Remove " + path);
    const item = { file, path, oid: null, hashed: 0, uploaded: 0, state: "ready", row };
    row.querySelector(".remove-file").addEventListener("click", () => {
      if (running) return;
      items = items.filter((other) => other !== item);
      row.remove();
      refresh();
    });
    list.appendChild(row);
    items.push(item);
  }

  function setStatus(item, text, kind) {
    const status = item.row.querySelector(".status");
    status.textContent = text;
    status.className = "status " + (kind || "");
  }

  function refresh() {
    let total = 0;
    let work = 0;
    for (const item of items) {
      const size = Math.max(item.file.size, 1);
      const part = (item.hashed + item.uploaded) / (2 * size);
      item.row.querySelector("progress").value = Math.min(100, part * 100);
      total += size * 2;
      work += item.hashed + item.uploaded;
    }
    const percent = total ? Math.floor((work / total) * 100) : 0;
    overallBar.value = percent;
    overallText.textContent = items.length
      ? `${items.length} file${items.length === 1 ? "" : "s"}, ` +
        `${formatSize(items.reduce((n, i) => n + i.file.size, 0))} — ${percent}%`
      : "No files chosen yet.";
    submit.disabled = running || !items.length;
  }

  // Picking and dropping ------------------------------------------------------

  filesInput.addEventListener("change", () => {
    for (const file of filesInput.files) addFile(file, file.name);
    filesInput.value = "";
    refresh();
  });
  folderInput.addEventListener("change", () => {
    for (const file of folderInput.files) addFile(file, file.webkitRelativePath || file.name);
    folderInput.value = "";
    refresh();
  });

  function readEntries(reader) {
    return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
  }

  async function walk(entry, out) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push([file, entry.fullPath.replace(/^\//, "")]);
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await readEntries(reader);
        if (!batch.length) break;
        for (const child of batch) await walk(child, out);
      }
    }
  }

  ["dragenter", "dragover"].forEach((type) =>
    dropzone.addEventListener(type, (event) => {
      event.preventDefault();
      dropzone.classList.add("dragging");
    })
  );
  ["dragleave", "drop"].forEach((type) =>
    dropzone.addEventListener(type, () => dropzone.classList.remove("dragging"))
  );
  dropzone.addEventListener("drop", async (event) => {
    event.preventDefault();
    if (running) return;
    const found = [];
    const entries = [];
    for (const item of event.dataTransfer.items || []) {
      const entry = item.webkitGetAsEntry && item.webkitGetAsEntry();
      if (entry) entries.push(entry);
    }
    if (entries.length) {
      for (const entry of entries) await walk(entry, found);
    } else {
      for (const file of event.dataTransfer.files) found.push([file, file.name]);
    }
    for (const [file, path] of found) addFile(file, path);
    refresh();
  });

  // Hashing -------------------------------------------------------------------

  function hash(item) {
    if (item.oid) return Promise.resolve(item.oid);
    if (!worker) worker = new Worker(root.dataset.workerUrl);
    const id = nextHashId++;
    return new Promise((resolve, reject) => {
      rejectHash = reject;
      const onMessage = (event) => {
        const data = event.data;
        if (data.id !== id) return;
        if (aborted) {
          worker.postMessage({ id, cancel: true });
          worker.removeEventListener("message", onMessage);
          reject(new Error("Cancelled."));
          return;
        }
        if (data.type === "progress") {
          item.hashed = data.done;
          setStatus(item, `Hashing ${Math.floor((data.done / Math.max(item.file.size, 1)) * 100)}%`);
          refresh();
        } else if (data.type === "done") {
          worker.removeEventListener("message", onMessage);
          item.hashed = item.file.size;
          item.oid = data.hex;
          resolve(data.hex);
        } else {
          worker.removeEventListener("message", onMessage);
          reject(new Error(data.message));
        }
      };
      worker.addEventListener("message", onMessage);
      worker.postMessage({ id, file: item.file });
      if (item.file.size === 0) item.hashed = 0;
    });
  }

  // Uploading -----------------------------------------------------------------

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrf,
      },
      body: JSON.stringify(body),
    });
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = { detail: `The server answered ${response.status}.` };
    }
    if (!response.ok) throw new Error(data.detail || `Error ${response.status}`);
    return data;
  }

  function put(url, body, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhrs.add(xhr);
      xhr.open("PUT", url);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = (event) => onProgress(event.loaded);
      xhr.onload = () => {
        xhrs.delete(xhr);
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress(body.size);
          resolve(xhr);
        } else {
          reject(new Error(xhr.getResponseHeader("X-Error-Message") || `Upload failed (${xhr.status}).`));
        }
      };
      xhr.onerror = () => {
        xhrs.delete(xhr);
        reject(new Error("The connection was lost during the upload."));
      };
      xhr.onabort = () => {
        xhrs.delete(xhr);
        reject(new Error("Cancelled."));
      };
      xhr.send(body);
    });
  }

  async function upload(item, plan) {
    if (plan.error) throw new Error(plan.error);
    if (plan.transfer === "stored") {
      item.uploaded = item.file.size;
      setStatus(item, "Already stored", "done");
      refresh();
      return;
    }
    setStatus(item, "Uploading");
    if (plan.transfer === "basic") {
      await put(plan.href, item.file, (loaded) => {
        item.uploaded = loaded;
        refresh();
      });
    } else {
      const parts = [];
      for (let index = 0; index < plan.parts.length; index++) {
        if (aborted) throw new Error("Cancelled.");
        const start = index * plan.chunk_size;
        const slice = item.file.slice(start, Math.min(item.file.size, start + plan.chunk_size));
        const xhr = await put(plan.parts[index], slice, (loaded) => {
          item.uploaded = start + loaded;
          refresh();
        });
        parts.push({ partNumber: index + 1, etag: xhr.getResponseHeader("ETag") });
      }
      setStatus(item, "Verifying");
      const response = await fetch(plan.href, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ oid: item.oid, parts }),
      });
      if (!response.ok) {
        throw new Error(response.headers.get("X-Error-Message") || "Completing the upload failed.");
      }
    }
    item.uploaded = item.file.size;
    setStatus(item, "Uploaded", "done");
    refresh();
  }

  async function pool(tasks, size) {
    let next = 0;
    async function runner() {
      while (next < tasks.length && !aborted && !stopped) {
        const task = tasks[next++];
        await task();
      }
    }
    await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, runner));
  }

  async function run() {
    running = true;
    aborted = false;
    stopped = false;
    root.classList.add("uploading");
    folderField.disabled = true;
    show("");
    refresh();
    cancel.hidden = false;
    const pr = prField && prField.checked;
    const branch = branchField ? branchField.value : "main";
    try {
      for (const item of items) {
        item.uploaded = 0;
        await hash(item);
        setStatus(item, "Hashed");
        if (aborted) throw new Error("Cancelled.");
      }
      // Signed URLs for every file, a few hundred per request.
      const plan = { files: [] };
      for (let start = 0; start < items.length; start += PLAN_BATCH) {
        const batch = items.slice(start, start + PLAN_BATCH);
        const answer = await postJson(planUrl, {
          branch,
          pr,
          files: batch.map((item) => ({ oid: item.oid, size: item.file.size })),
        });
        plan.files.push(...answer.files);
      }
      await pool(
        items.map((item, index) => async () => {
          try {
            await upload(item, plan.files[index]);
          } catch (error) {
            setStatus(item, error.message, "error");
            stopped = true; // the other uploads stop too: no partial commit
            for (const xhr of xhrs) xhr.abort();
            throw error;
          }
        }),
        CONCURRENCY
      );
      if (aborted) throw new Error("Cancelled.");
      overallText.textContent = "Uploaded — committing…";
      const title =
        titleField.value.trim() ||
        (items.length === 1 ? `Upload ${items[0].path}` : `Upload ${items.length} files`);
      const result = await postJson(commitUrl, {
        branch,
        pr,
        parent: pr ? null : parent,
        title,
        description: descriptionField.value,
        files: items.map((item) => ({ path: item.path, oid: item.oid })),
      });
      show(pr ? `Pull request #${result.pull_request} opened.` : "Committed.", "success");
      window.removeEventListener("beforeunload", warn);
      window.location.assign(result.url);
    } catch (error) {
      for (const xhr of xhrs) xhr.abort();
      show(
        aborted
          ? "Upload cancelled: nothing was committed."
          : `${error.message} Nothing was committed.`,
        "error"
      );
      running = false;
      root.classList.remove("uploading");
      folderField.disabled = false;
      cancel.hidden = true;
      refresh();
    }
  }

  function warn(event) {
    if (running) {
      event.preventDefault();
      event.returnValue = "";
    }
  }
  window.addEventListener("beforeunload", warn);

  root.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!running && items.length) run();
  });
  cancel.addEventListener("click", () => {
    aborted = true;
    for (const xhr of xhrs) xhr.abort();
    if (worker) {
      worker.terminate();
      worker = null;
    }
    if (rejectHash) rejectHash(new Error("Cancelled."));
  });
  if (prField && branchField) {
    prField.addEventListener("change", () => {
      submit.textContent = prField.checked ? "Open pull request" : "Commit changes";
    });
  }
  refresh();
})();
