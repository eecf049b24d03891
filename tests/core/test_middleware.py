import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/api/v1/models?tag=a%00b", "/api/models?search=x%00", "/api/v1/licenses/mi%00t"],
)
def test_nul_bytes_are_a_clear_400_not_a_server_error(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]["message"]
