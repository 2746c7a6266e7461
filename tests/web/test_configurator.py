import lxml.html
from starlette.applications import Starlette
from starlette.testclient import TestClient

BASE = "https://service.example"


def test_configurator_shows_options_preview_code_csp_and_feeds(
        client: TestClient, app: Starlette) -> None:
    widget = app.state.widget
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page = lxml.html.fromstring(response.text)
    names = page.xpath("//form[@id='embed-form']//select/@name")
    assert names == ["kind", "topic", "limit", "lang", "theme", "layout", "medical", "partner"]
    for select in page.xpath("//form//select"):
        assert page.xpath(f"//label[@for='{select.get('id')}']")
    assert [dict(d.attrib) for d in page.xpath("//div[@id='preview']/div")] == [
        {"data-smartmed": "tip"}]
    code = lxml.html.fragments_fromstring(page.xpath("string(//code[@id='embed-code'])"))
    assert code[1].get("src") == BASE + widget.path
    assert code[1].get("integrity") == widget.integrity
    assert code[0].xpath("./noscript/a/@href") == [f"{BASE}/tips/today"]
    assert page.xpath("//ul[@id='csp-list']/li/code/text()") == [
        f"script-src {BASE}", f"connect-src {BASE}"]
    assert f"{BASE}/feeds/tips.json" in page.xpath("//ul[@id='feed-list']//a/@href")
    scripts = page.xpath("//script/@src")
    assert widget.path in scripts
    assert any(src.startswith("/static/configurator.") for src in scripts)


def test_configurator_options_in_the_query_change_code_and_preview(client: TestClient) -> None:
    response = client.get("/?kind=articles&topic=sleep&limit=5&theme=dark&partner=calm-clinic")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.text)
    assert dict(page.xpath("//div[@id='preview']/div")[0].attrib) == {
        "data-smartmed": "articles", "data-partner": "calm-clinic", "data-topic": "sleep",
        "data-limit": "5", "data-theme": "dark"}
    assert page.xpath("//select[@name='kind']/option[@selected]/@value") == ["articles"]
    assert page.xpath("//select[@name='limit']/option[@selected]/@value") == ["5"]
    code = lxml.html.fragments_fromstring(page.xpath("string(//code[@id='embed-code'])"))
    assert code[0].get("data-limit") == "5"
    assert code[0].xpath("./noscript/a/@href") == [
        f"{BASE}/topics/sleep?utm_source=calm-clinic&utm_medium=widget"]
    assert f"{BASE}/feeds/topics/sleep.rss" in page.xpath("//ul[@id='feed-list']//a/@href")


def test_configurator_with_a_bad_option_is_a_friendly_400_page(client: TestClient) -> None:
    response = client.get("/?kind=poem")
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "kind: this address gives that option a value the widget does not take" in (
        response.text)
    # In the page's language, on the page's language's error page (issue 19).
    german = client.get("/de/?kind=poem")
    assert german.status_code == 400
    assert '<html lang="de"' in german.text
    assert "kind: Die Adresse gibt dieser Option einen Wert" in german.text


def test_embed_code_endpoint_returns_the_same_code_as_the_page(client: TestClient) -> None:
    query = "kind=articles&topic=anxiety&layout=compact"
    page = lxml.html.fromstring(client.get(f"/?{query}").text)
    response = client.get(f"/configurator/code?{query}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["etag"]
    body = response.json()
    assert body["code"] == page.xpath("string(//code[@id='embed-code'])")
    assert body["attributes"] == [["data-smartmed", "articles"], ["data-topic", "anxiety"],
                                  ["data-layout", "compact"]]
    assert body["query"] == {"kind": "articles", "topic": "anxiety", "layout": "compact"}
    assert body["noscript"]["url"] == f"{BASE}/topics/anxiety"
    assert body["feeds"][0]["href"] == f"{BASE}/feeds/topics/anxiety.rss"


def test_embed_code_endpoint_rejects_bad_options_as_json(client: TestClient) -> None:
    response = client.get("/configurator/code?limit=0&kind=articles")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "limit: '0' must be a whole number from 1 to 10")
    twice = client.get("/configurator/code?kind=tip&kind=articles")
    assert twice.status_code == 400
    assert twice.json()["error"]["message"] == "kind: given more than once"
