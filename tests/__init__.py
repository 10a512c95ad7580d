"""desk's tests: core/, cli/, tui/ and pressure/; shared code in helpers/ and conftest.py."""

import pytest

# The helpers' asserts report the values they compare, as the tests' own do (by itself
# pytest rewrites only test modules and conftest.py).
pytest.register_assert_rewrite("tests.helpers")
