from tests.db_fixtures import *  # noqa: F403
