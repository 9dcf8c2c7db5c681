from . import test_batch_manifest
