"""Deployment files are valid: Kubernetes manifests and the Compose file
against their published JSON schemas (shipped in PyPI packages, so the check
runs offline), the Dockerfile's shape, the nginx template's syntax."""

from __future__ import annotations

import json
import re
import shutil
import string
import subprocess
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
K8S_VERSION = "1.37.0"


def k8s_documents() -> list[tuple[str, dict]]:
    found = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for index, doc in enumerate(yaml.safe_load_all(path.read_text())):
            if doc:
                found.append((f"{path.name}#{index}", doc))
    return found


@pytest.mark.parametrize(
    ("name", "doc"), k8s_documents(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_kubernetes_manifest_matches_the_schema(name, doc):
    import kubernetes_validate

    kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_every_role_has_a_manifest_with_probes():
    docs = dict(k8s_documents())
    kinds = {(d["kind"], d["metadata"]["name"]) for d in docs.values()}
    for deployment in (
        "hub-web",
        "hub-worker-default",
        "hub-worker-validation",
        "hub-worker-eval",
        "hub-beat",
        "hub-nginx",
    ):
        assert ("Deployment", deployment) in kinds
    assert ("Job", "hub-migrate") in kinds
    hpas = {
        d["spec"]["scaleTargetRef"]["name"]
        for d in docs.values()
        if d["kind"] == "HorizontalPodAutoscaler"
    }
    assert {"hub-web", "hub-worker-validation", "hub-worker-eval"} <= hpas
    web = next(
        d
        for d in docs.values()
        if d["metadata"]["name"] == "hub-web" and d["kind"] == "Deployment"
    )
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    evals = next(
        d
        for d in docs.values()
        if d["metadata"]["name"] == "hub-worker-eval" and d["kind"] == "Deployment"
    )
    command = evals["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command[command.index("--concurrency") + 1] == "1"


def test_compose_file_matches_the_compose_spec():
    schema_file = (
        resources.files("check_jsonschema") / "builtin_schemas/vendor/compose-spec.json"
    )
    schema = json.loads(schema_file.read_text())
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    jsonschema.validate(compose, schema)
    services = set(compose["services"])
    assert {
        "web",
        "worker-validation",
        "worker-eval",
        "worker-default",
        "beat",
        "postgres",
        "redis",
        "s3",
        "nginx",
        "migrate",
    } <= services


def test_compose_schema_rejects_a_broken_file():
    """The check can fail: a service with an unknown key is refused."""
    schema_file = (
        resources.files("check_jsonschema") / "builtin_schemas/vendor/compose-spec.json"
    )
    schema = json.loads(schema_file.read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"services": {"web": {"imagee": "x"}}}, schema)


def test_kubernetes_schema_rejects_a_broken_manifest():
    import kubernetes_validate

    bad = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"replicas": "two", "selector": {}, "template": {}},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)


def test_dockerfile_is_multi_stage_and_runs_as_non_root():
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)", text, flags=re.MULTILINE)
    assert stages == ["build", "runtime"]
    runtime = text.split("AS runtime", 1)[1]
    user = re.findall(r"^USER (\S+)", runtime, flags=re.MULTILINE)
    assert user and not user[-1].startswith(("root", "0"))
    assert "COPY --from=build" in runtime


@pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
    reason="nginx is not installed (scripts/run-tests.sh installs it)",
)
def test_nginx_template_renders_to_a_valid_configuration(tmp_path):
    server = string.Template((DEPLOY / "nginx" / "hub.conf.template").read_text())
    rendered = server.safe_substitute(
        HUB_LISTEN="127.0.0.1:8080",
        HUB_UPSTREAM="127.0.0.1:8000",
        HUB_STATIC_ROOT=str(tmp_path / "static"),
        HUB_BLOB_ROOT=str(tmp_path / "blobs"),
    )
    assert "${" not in rendered
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr;\n"
        "events {}\nhttp {\n"
        f"client_body_temp_path {tmp_path}/body;\n{rendered}\n}}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(
        [nginx, "-t", "-c", str(conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
