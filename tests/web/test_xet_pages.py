"""Files uploaded through Xet on the pages, as any other file.

What the real client (hf_xet) sends is received by the hub's CAS core and
committed; the pages then read those files' bytes rebuilt from their xorbs:
the card, the weights' header for the parameter count, the file view, and
the download link.
"""

from __future__ import annotations

import io

import pytest

from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile
from hub.jobs.selectors.weights import commit_safetensors_parameters
from hub.storage.models import Blob
from hub.storage.services import blob_mark_checked
from hub.storage.xetcas.receive import shard_receive, xorb_receive
from tests.factories import make_repo
from tests.storage.xet.cas_capture import client_upload
from tests.web.conftest import safetensors_bytes

CARD = b"---\nlicense: mit\n---\n# Xet model\n\nWeights sent as chunks.\n"


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    root = tmp_path_factory.mktemp("client")
    files = {"README.md": CARD, "model.safetensors": safetensors_bytes(300_000)}
    xorbs, shard = client_upload(files, root)
    return files, xorbs, shard


@pytest.fixture
def xet_repo(sent, owner):
    files, xorbs, shard = sent
    for name, body in xorbs:
        xorb_receive(
            user_id=owner.pk, xorb_hex=name, stream=io.BytesIO(body), size=len(body)
        )
    registered = shard_receive(user_id=owner.pk, body=shard).files
    by_size = {f.size: f.sha256 for f in registered}
    repo = make_repo(owner, "xet-model")
    ops = [AddFile(path, by_size[len(data)]) for path, data in files.items()]
    commit = commit_create(repo=repo, operations=ops, title="Add", author=owner)
    for op in ops:
        assert not Blob.objects.get(pk=op.sha256).in_store  # only in Xet
        blob_mark_checked(sha256=op.sha256)
    return repo, commit, files


def test_model_page_reads_the_card_and_weights_rebuilt_from_xorbs(client, xet_repo):
    repo, commit, _ = xet_repo
    html = client.get("/owner/xet-model").content.decode()
    assert "Weights sent as chunks." in html
    assert commit_safetensors_parameters(commit=commit) == {"F32": 300_000}


def test_file_page_and_download_of_a_xet_file(client, xet_repo):
    _, _, files = xet_repo
    html = client.get("/owner/xet-model/blob/main/model.safetensors").content.decode()
    assert "stored with Xet" in html
    response = client.get("/owner/xet-model/resolve/main/model.safetensors")
    assert b"".join(response.streaming_content) == files["model.safetensors"]
    html = client.get("/owner/xet-model/blob/main/README.md").content.decode()
    assert "Weights sent as chunks." in html
