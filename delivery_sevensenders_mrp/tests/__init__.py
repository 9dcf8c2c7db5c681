from . import test_in_production
from . import test_rpc_access
