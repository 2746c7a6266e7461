"""Ready bodies: a packed payload (gzip only) is the same answer as a plain one."""

from __future__ import annotations

import gzip
import pickle

from hypothesis import given
from hypothesis import strategies as st

from smartmed.catalog.encoding import JSON
from smartmed.catalog.payload import GZIP_MIN_BYTES, Payload

BODIES = st.one_of(st.binary(max_size=2000),
                   st.text(max_size=3000).map(str.encode),
                   st.integers(0, 5000).map(lambda n: b"calm " * n))


@given(BODIES)
def test_a_packed_payload_is_the_plain_payload_gzipped_ahead(body: bytes) -> None:
    plain = Payload.build(body, JSON)
    packed = Payload.packed(body, JSON)
    assert packed.body == plain.body == body
    assert packed.size == plain.size == len(body)
    assert packed.tag == plain.tag
    assert packed.compressed() == plain.compressed()
    if len(body) >= GZIP_MIN_BYTES:
        assert packed.plain is None  # only the gzip form is kept
        assert gzip.decompress(packed.gzipped or b"") == body
    else:
        assert packed == plain  # too small for gzip: kept as it is


def test_a_packed_payload_travels_between_processes_as_it_is() -> None:
    packed = Payload.packed(b"breathe out slowly " * 100, JSON)
    assert pickle.loads(pickle.dumps(packed)) == packed
    assert len(pickle.dumps(packed)) < len(packed.body) // 4
