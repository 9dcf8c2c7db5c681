from . import test_in_production
