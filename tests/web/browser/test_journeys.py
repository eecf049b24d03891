"""The web UI in a real browser: publish, check, browse, find, like, tokens.

One long journey (Maya publishes a model from the browser, a validation
worker checks it while the page watches, then the model is browsed, found
and liked) keeps the suite fast: the browser, the live server and the
worker start once. Screenshots of the main pages go to docs/screenshots/.
"""

from __future__ import annotations

import json
import re
import struct
import time

import pytest
from playwright.sync_api import expect

from hub.catalog.models import Commit, ModelRepo
from hub.storage.selectors import blob_read_bytes
from tests.e2e.conftest import WorkerProcess
from tests.factories import commit_files, make_repo, make_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
# 27.5M float32 parameters: a 110 MB weights file (> 100 MB).
BIG_ELEMENTS = 27_500_000

WATCH_PROGRESS = """() => {
  const seen = (bar) => {
    const name = bar.id || bar.getAttribute("aria-label");
    const report = () => window.reportProgress(name, bar.value);
    new MutationObserver(report).observe(bar, {attributes: true});
  };
  document.querySelectorAll("progress").forEach(seen);
  new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => {
    if (n.querySelectorAll) n.querySelectorAll("progress").forEach(seen);
  }))).observe(document.getElementById("upload-list"), {childList: true});
}"""


def _safetensors(path, elements: int) -> None:
    header = json.dumps(
        {
            "__metadata__": {"format": "pt"},
            "model.layers.0.self_attn.q_proj.weight": {
                "dtype": "F32",
                "shape": [elements],
                "data_offsets": [0, 4 * elements],
            },
        }
    ).encode()
    header += b" " * (-len(header) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(header)) + header)
        out.truncate(8 + len(header) + 4 * elements)  # sparse zeros


def _model_folder(tmp_path):
    folder = tmp_path / "checkpoint"
    folder.mkdir()
    (folder / "config.json").write_text(
        json.dumps(
            {"model_type": "llama", "hidden_size": 64, "vocab_size": 32000}, indent=2
        )
    )
    (folder / "tokenizer.json").write_text(json.dumps({"version": "1.0", "model": {}}))
    _safetensors(folder / "model.safetensors", BIG_ELEMENTS)
    extra = tmp_path / "eval"
    extra.mkdir()
    (extra / "results.md").write_text("| task | score |\n|---|---|\n| demo | 0.5 |\n")
    return folder, extra


def _neighbours() -> None:
    """A few other public models, so lists and facets look like a real hub."""
    jun = make_user("jun")
    for name, license_id, task, library in (
        ("code-helper-7b", "mit", "text-generation", "transformers"),
        (
            "whisper-small-fr",
            "apache-2.0",
            "automatic-speech-recognition",
            "transformers",
        ),
        ("sd-tiny", "openrail", "text-to-image", "diffusers"),
        ("llama-research", "cc-by-nc-4.0", "text-generation", "transformers"),
    ):
        repo = make_repo(jun, name)
        card = (
            f"---\nlicense: {license_id}\npipeline_tag: {task}\nlibrary_name: "
            f"{library}\n---\n\n# {name}\n\nA community model for {task}.\n"
        )
        commit_files(repo, {"README.md": card.encode()}, author=jun)
    ModelRepo.objects.filter(name="code-helper-7b").update(
        downloads=1520, likes=12, trending_score=40
    )
    ModelRepo.objects.filter(name="sd-tiny").update(
        downloads=310, likes=4, trending_score=9
    )


@pytest.fixture
def validation_worker(tmp_path, settings):
    """A real validation worker (its queue emptied of earlier tests' messages)."""
    worker = WorkerProcess(["validation"], tmp_path / "worker.log", {})
    try:
        yield worker.wait_ready()
    finally:
        worker.stop()


def test_publish_check_browse_find_like_and_tokens(
    page, tmp_path, screenshot, validation_worker
):
    _neighbours()
    folder, extra = _model_folder(tmp_path)

    # Sign up.
    page.goto("/signup")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome, maya!")).to_be_visible()

    # Create the repo: name, visibility, license, task, library.
    page.get_by_role("link", name="New model").first.click()
    page.get_by_label("Name", exact=True).fill("tiny-llama")
    expect(page.locator("#other-license")).to_be_hidden()
    page.locator("#id_license").select_option("apache-2.0")
    page.get_by_label("Task").select_option("text-generation")
    page.get_by_label("Library").fill("transformers")
    page.get_by_label("Short description").fill(
        "A 27M-parameter llama for smoke tests: small, fast and honest about it."
    )
    page.get_by_role("button", name="Create repository").click()
    page.wait_for_url("**/maya/tiny-llama/upload")

    # Add files: three picked files (one of 110 MB) and a folder.
    page.set_input_files(
        "#pick-files",
        [
            str(folder / "config.json"),
            str(folder / "model.safetensors"),
            str(folder / "tokenizer.json"),
        ],
    )
    page.set_input_files("#pick-folder", str(extra))
    rows = page.locator("#upload-list li")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text="eval/results.md")).to_have_count(1)
    page.get_by_label("Commit message").fill("Upload the tiny-llama checkpoint")

    progress: dict[str, float] = {}
    history: list[float] = []

    def report(name: str, value: float) -> None:
        progress[name] = max(progress.get(name, 0), value)
        if name == "overall-progress":
            history.append(value)

    page.expose_function("reportProgress", report)
    page.evaluate(WATCH_PROGRESS)
    page.get_by_role("button", name="Commit changes").click()
    page.wait_for_url("**/maya/tiny-llama/commit/*", timeout=120_000)
    assert progress["overall-progress"] == 100
    assert any(0 < value < 100 for value in history), history
    big = "Progress of model.safetensors"
    assert progress[big] == 100
    assert all(
        progress[f"Progress of {p}"] == 100 for p in ("config.json", "eval/results.md")
    )

    commit = Commit.objects.get(
        repo__name="tiny-llama", title="Upload the tiny-llama checkpoint"
    )
    assert page.url.endswith(f"/maya/tiny-llama/commit/{commit.oid}")
    expect(
        page.get_by_role("heading", name="Upload the tiny-llama checkpoint")
    ).to_be_visible()
    expect(page.locator(".diff-file")).to_have_count(4)

    # The model page: checks run while the page watches, then the card.
    page.get_by_role("link", name="Model card").click()
    checks = page.locator("#checks-panel")
    expect(checks).to_contain_text("All checks passed", timeout=60_000)
    page.reload()
    card = page.get_by_role("article", name="Model card")
    expect(card.get_by_role("heading", name="tiny-llama")).to_be_visible()
    expect(card).to_contain_text("small, fast and honest")
    about = page.get_by_role("complementary", name="About this model")
    expect(about).to_contain_text("27.5M")
    expect(about).to_contain_text("F32")
    expect(about).to_contain_text("Apache License 2.0")
    expect(about).to_contain_text("Commercial use allowed")
    expect(about).to_contain_text(f'HF_ENDPOINT"] = "{page.url.split("/maya")[0]}"')

    # Like it.
    like = page.get_by_role("button", name="Like")
    like.click()
    expect(page.get_by_role("button", name="Liked")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("[data-like-count]")).to_have_text("1")
    screenshot(page, "model", full_page=True)

    # Files: sizes, LFS marker, a highlighted file, raw download.
    page.get_by_role("link", name="Files and versions").click()
    table = page.get_by_role("table", name="Files at main")
    weights = table.get_by_role("row").filter(has_text="model.safetensors")
    expect(weights).to_contain_text("LFS")
    expect(weights).to_contain_text("104.9")
    expect(weights).to_contain_text("Upload the tiny-llama checkpoint")
    expect(table.get_by_role("row").filter(has_text="eval")).to_have_count(1)
    screenshot(page, "files")
    table.get_by_role("link", name="config.json", exact=True).click()
    expect(page.locator(".highlight").first).to_contain_text('"model_type"')
    download = page.request.get(
        page.get_by_role("link", name="Download").first.get_attribute("href")
    )
    assert download.status == 200 and json.loads(download.body())["hidden_size"] == 64

    # History (of the file, then of the branch) and the commit view.
    page.get_by_role("link", name="History").click()
    commits = page.get_by_role("list", name="Commits, newest first").get_by_role(
        "listitem"
    )
    expect(page.get_by_role("heading", name="History of config.json")).to_be_visible()
    expect(commits).to_have_count(1)
    page.get_by_role("link", name="Browse files").click()
    page.get_by_role("link", name="History").click()
    expect(commits).to_have_count(3)  # initial commit, card, upload
    commits.first.get_by_role("link", name="Upload the tiny-llama checkpoint").click()
    expect(page.locator("#checks")).to_contain_text("All checks passed")
    expect(page.get_by_role("region", name="added: config.json")).to_contain_text(
        '"hidden_size": 64'
    )
    screenshot(page, "commit", full_page=True)

    # Search and filter to find it.
    page.get_by_role("search").first.get_by_label("Search models").fill("tiny")
    page.keyboard.press("Enter")
    page.wait_for_url("**/models?search=tiny")
    expect(page.get_by_role("link", name="maya/tiny-llama")).to_be_visible()
    page.goto("/models")
    page.get_by_role("list", name="Tasks").get_by_role(
        "link", name="text-generation"
    ).click()
    page.wait_for_url("**/models?task=text-generation")
    page.get_by_role("list", name="License terms").get_by_role(
        "link", name="Commercial use"
    ).click()
    expect(page).to_have_url(
        re.compile(r"task=text-generation&license_term=commercial")
    )
    results = page.locator(".model-grid")
    expect(results.get_by_role("link", name="maya/tiny-llama")).to_be_visible()
    expect(results.get_by_role("link", name="jun/code-helper-7b")).to_be_visible()
    expect(results.get_by_role("link", name="jun/llama-research")).to_have_count(0)
    screenshot(page, "models")

    # Tokens: create (shown once) and revoke.
    page.get_by_label("Account menu for maya").click()
    page.get_by_role("link", name="Access tokens").click()
    page.get_by_label("Name").fill("laptop")
    page.get_by_label("Write — also create models and push").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").input_value()
    assert secret.startswith("mc_")
    expect(page.get_by_role("table", name="Your tokens")).to_contain_text("laptop")
    screenshot(page, "tokens")
    page.get_by_role("button", name="Revoke laptop").click()
    expect(page.get_by_role("table", name="Your tokens")).to_contain_text("Revoked")
    expect(page.locator("#new-token")).to_have_count(0)

    page.goto("/")
    expect(page.get_by_role("region", name="Recently updated")).to_contain_text(
        "maya/tiny-llama"
    )
    screenshot(page, "home")


HOSTILE_CARD = b"""# Totally normal model

<script>window.__pwned = "script"</script>
<img src="does-not-exist.png" onerror="window.__pwned = 'onerror'; alert(1)">
<a id="js-link" href="javascript:window.__pwned='href'">a javascript link</a>
[a markdown link](javascript:window.__pwned='md')
<svg onload="window.__pwned='svg'"><circle r="5"/></svg>
<details open ontoggle="window.__pwned='toggle'"><summary>More</summary>hi</details>
<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>
<div style="position:fixed;inset:0" onmouseover="window.__pwned='hover'">cover</div>
<object data="javascript:window.__pwned='object'"></object>
"""


def test_hostile_card_runs_no_script(page):
    owner = make_user("mallory")
    repo = make_repo(owner, "friendly")
    commit_files(repo, {"README.md": HOSTILE_CARD}, author=owner)
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    for url in ("/mallory/friendly", "/mallory/friendly/blob/main/README.md"):
        page.goto(url)
        card = page.locator(".card-body").first
        expect(card).to_contain_text("Totally normal model")
        card.get_by_text("cover").hover()
        page.get_by_text("More").click()
        link = card.get_by_text("a javascript link")
        assert link.get_attribute("href") is None
        link.click()
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert (
            page.evaluate(
                "document.querySelectorAll('.card-body script, .card-body iframe, "
                ".card-body object, .card-body [style]').length"
            )
            == 0
        )
        assert (
            page.evaluate(
                "[...document.querySelectorAll('.card-body *')].flatMap("
                "e => [...e.attributes].map(a => a.name))"
                ".filter(n => n.startsWith('on'))"
            )
            == []
        )
    assert dialogs == []


def _sign_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label(f"Account menu for {user.username}")).to_be_visible()


def test_cancelled_upload_commits_nothing_and_multipart_uploads_work(
    page, tmp_path, settings, screenshot
):
    # Small thresholds so that a 12 MB file goes up in three parts.
    settings.HUB_LFS_MULTIPART_THRESHOLD_BYTES = 8 * 1024 * 1024
    settings.HUB_LFS_MULTIPART_CHUNK_BYTES = 5 * 1024 * 1024
    owner = make_user("omar", password=PASSWORD)
    repo = make_repo(owner, "slow-model")
    commits = Commit.objects.filter(repo=repo).count()
    big = tmp_path / "weights.safetensors"
    _safetensors(big, BIG_ELEMENTS)
    _sign_in(page, owner)

    # A slow link: the upload is still running when it is cancelled.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": 4 * 1024 * 1024,
        },
    )
    page.goto("/omar/slow-model/upload")
    config = tmp_path / "config.json"
    config.write_text('{"model_type": "llama"}\n')
    page.set_input_files("#pick-files", [str(big), str(config)])
    page.get_by_label("Commit message").fill("Add the weights")
    page.get_by_role("button", name="Commit changes").click()
    expect(page.locator("#upload-list .status").first).to_have_text(
        re.compile("Uploading"), timeout=30_000
    )
    # Polled from here: wait_for_function evaluates its string in the page,
    # which the hub's Content-Security-Policy (no eval) refuses.
    deadline = time.monotonic() + 30
    while page.evaluate("document.getElementById('overall-progress').value") < 60:
        assert time.monotonic() < deadline, "the upload made no progress"
        page.wait_for_timeout(100)
    page.get_by_label("Commit message").blur()
    screenshot(page, "upload", full_page=True)
    page.get_by_role("button", name="Cancel upload").click()
    expect(page.locator("#upload-message")).to_have_text(
        "Upload cancelled: nothing was committed."
    )
    assert Commit.objects.filter(repo=repo).count() == commits
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        },
    )

    # Multipart: parts PUT to their signed URLs, ETags collected, completed.
    medium = tmp_path / "shard-00001.bin"
    medium.write_bytes(bytes(range(256)) * (12 * 1024 * 4))  # 12 MiB
    page.reload()
    page.set_input_files("#pick-files", str(medium))
    page.get_by_label("Commit message").fill("Add a shard")
    page.get_by_role("button", name="Commit changes").click()
    page.wait_for_url("**/omar/slow-model/commit/*", timeout=60_000)
    expect(page.get_by_role("region", name="added: shard-00001.bin")).to_be_visible()
    entry = Commit.objects.get(repo=repo, title="Add a shard").entries.get(
        path="shard-00001.bin"
    )
    assert entry.size == 12 * 1024 * 1024 and entry.is_lfs

    # Drag and drop: files dropped on the drop zone join the upload (the
    # DataTransfer is built in the page: a test cannot drag from the desktop).
    page.goto("/omar/slow-model/upload")
    page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.items.add(new File(["dropped by a test\\n"], "dropped.txt"));
          const zone = document.getElementById("dropzone");
          for (const type of ["dragenter", "dragover", "drop"]) {
            zone.dispatchEvent(new DragEvent(type, {
              dataTransfer: data, bubbles: true, cancelable: true,
            }));
          }
        }"""
    )
    expect(page.locator("#upload-list li")).to_have_count(1)
    page.get_by_label("Commit message").fill("Drop a file")
    page.get_by_role("button", name="Commit changes").click()
    page.wait_for_url("**/omar/slow-model/commit/*", timeout=60_000)
    expect(page.get_by_role("region", name="added: dropped.txt")).to_be_visible()
    dropped = Commit.objects.get(repo=repo, title="Drop a file").entries.get(
        path="dropped.txt"
    )
    assert blob_read_bytes(sha256=dropped.blob_id, limit=100) == b"dropped by a test\n"
