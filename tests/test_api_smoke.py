from starlette.testclient import TestClient


def test_tip_of_today_is_served(client: TestClient) -> None:
    response = client.get("/v1/tips/2026-11-27")
    assert response.status_code == 200
    assert response.headers["x-content-version"]
    assert response.json()["tip"]["topic"]["id"] in {"sleep", "anxiety"}
