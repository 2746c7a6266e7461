"""The bundled content's answers are those recorded in tests/recorded/responses.json.

Recorded before the package was split into layers (issue 14) and compared ever since:
status, every header but Date and Server, and a digest of the body. A change that is meant
to alter an answer records again (tests/recording.py says how) and shows in the diff.
"""

from __future__ import annotations

import json

import recording


def test_every_answer_is_the_recorded_one() -> None:
    recorded = json.loads(recording.RECORDED.read_text())
    with recording.bundled_client() as client:
        answers = recording.record(client)
    assert sorted(answers) == sorted(recorded)
    changed = [key for key in recorded if answers[key] != recorded[key]]
    assert not changed, {key: (recorded[key], answers[key]) for key in changed[:3]}
