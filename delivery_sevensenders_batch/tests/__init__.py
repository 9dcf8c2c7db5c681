from . import test_batch_manifest
from . import test_rpc_access
