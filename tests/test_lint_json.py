"""What goes into the Rego engine as JSON (``generator.lint.driver.to_json``), whatever YAML gave."""

from __future__ import annotations

import datetime
import json

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.lint.driver import _json_default, to_json

KEYS = st.one_of(
    st.text(max_size=8), st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.dates(),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8), st.dates(), st.binary(max_size=8), st.frozensets(st.text(max_size=4), max_size=3),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=20,
)


@given(VALUES)
def test_any_value_is_written_as_with_the_option_for_keys_that_are_not_strings(value: object) -> None:
    """Written without orjson's OPT_NON_STR_KEYS first (faster), the JSON is the same as with it, for any key."""
    expected = orjson.dumps(value, default=_json_default, option=orjson.OPT_NON_STR_KEYS).decode()
    assert to_json(value) == expected
    json.loads(expected)  # and it is JSON


def test_keys_are_written_as_the_json_module_writes_them() -> None:
    value = {7: "a", True: "b", None: "c", 1.5: "d", datetime.date(2024, 1, 2): "e", "f": {2: {3: "g"}}}
    assert json.loads(to_json(value)) == {"7": "a", "true": "b", "null": "c", "1.5": "d", "2024-01-02": "e", "f": {"2": {"3": "g"}}}


def test_a_value_json_cannot_hold_still_fails() -> None:
    with pytest.raises(orjson.JSONEncodeError):
        to_json({"n": 2**64})
