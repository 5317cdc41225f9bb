from tests.fixtures import api_for, fast_password_hasher, team  # noqa: F401
