"""Integer parameters take ASCII digits only: every other Unicode digit is a 400 naming it.

str.isdigit() is true for "²" and full-width "５"; int() raises on the first and takes the
second. Both used to pass the check: "²" was a 500 with a traceback.
"""

from __future__ import annotations

import sys
import unicodedata
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from smartmed.http import params as strict

NON_ASCII_DIGITS = [c for c in map(chr, range(sys.maxunicode + 1))
                    if unicodedata.category(c) == "Nd" and not c.isascii()]
# (url before the value, status of a good value, where the error is)
LIMITS = [("/v1/articles?limit=", 50), ("/configurator/code?kind=articles&limit=", 10),
          ("/?kind=articles&limit=", 10)]


def test_every_non_ascii_decimal_digit_is_refused() -> None:
    assert len(NON_ASCII_DIGITS) > 600  # the whole category, not a sample
    for digit in NON_ASCII_DIGITS:
        for value in (digit, "1" + digit, digit + "0"):
            with pytest.raises(strict.InvalidValue, match=r"^limit: "):
                strict.integer("limit", value, 1, 50)


@pytest.mark.parametrize("value", ["+5", "-1", " 5", "5 ", "5\n", "0x5", "5_0", "1e1", "05.0",
                                   "", "99999999999999999999"])
def test_anything_but_plain_digits_in_range_is_refused(value: str) -> None:
    with pytest.raises(strict.InvalidValue, match=r"^limit: .* must be a whole number from 1"):
        strict.integer("limit", value, 1, 50)


def test_plain_digits_in_range_are_taken() -> None:
    assert [strict.integer("limit", v, 1, 50) for v in ("1", "07", "50")] == [1, 7, 50]


def _check(client: TestClient, prefix: str, value: str, top: int) -> None:
    response = client.get(prefix + quote(value))
    good = value.isascii() and value.isdigit() and 1 <= int(value) <= top
    if good:
        assert response.status_code == 200, (prefix, value)
        return
    assert response.status_code == 400, (prefix, value, response.text[:200])
    if prefix.startswith("/?"):  # the configurator page: an HTML page, not JSON
        assert response.headers["content-type"].startswith("text/html")
        assert "limit: " in response.text
    else:
        assert response.json()["error"]["message"].startswith("limit: ")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(categories=["Nd"]), min_size=1, max_size=3))
def test_any_string_of_decimal_digits_is_a_number_or_a_400_naming_limit(
        client: TestClient, value: str) -> None:
    for prefix, top in LIMITS:
        _check(client, prefix, value, top)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 10))
def test_ascii_numbers_in_range_are_served(client: TestClient, number: int) -> None:
    for prefix, top in LIMITS:
        _check(client, prefix, str(number), top)


def test_a_superscript_two_is_a_400_everywhere_not_a_500(client: TestClient) -> None:
    for prefix, top in LIMITS:
        _check(client, prefix, "²", top)
        _check(client, prefix, "５", top)
