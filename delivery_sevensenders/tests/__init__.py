from . import test_client_wiring
